package dev.vesper.host;

/**
 * One installed optimizer or activation: the name users type, and the bundle that registered it.
 *
 * @param name the {@code vesper.optimizer} or {@code vesper.activation} service property
 * @param bundle the providing bundle's symbolic name
 * @param version the providing bundle's version
 * @param ranking the service ranking (the highest wins a name)
 */
public record Extension(String name, String bundle, String version, int ranking) {
    @Override
    public String toString() {
        return name + " (" + bundle + " " + version + ")";
    }
}

package dev.vesper.host;

/**
 * One registered optimizer or activation: the name users type, the bundle that registered it, and
 * whether the platform can use it. The registry also lists services that nothing can use (a component
 * that failed to activate, a bundle with its own copy of the API); training with one fails with
 * "is not installed", so such an entry carries the reason instead of passing for a working one.
 *
 * @param name the {@code vesper.optimizer} or {@code vesper.activation} service property
 * @param bundle the providing bundle's symbolic name
 * @param version the providing bundle's version
 * @param ranking the service ranking (the highest wins a name)
 * @param problem why the platform cannot use the service, or {@code null} when it can
 */
public record Extension(String name, String bundle, String version, int ranking, String problem) {
    /** A usable extension. */
    public Extension(String name, String bundle, String version, int ranking) {
        this(name, bundle, version, ranking, null);
    }

    /** Whether the platform can use the service: {@link #problem()} is {@code null}. */
    public boolean usable() {
        return problem == null;
    }

    @Override
    public String toString() {
        return name + " (" + bundle + " " + version + ")" + (usable() ? "" : " not usable: " + problem);
    }
}

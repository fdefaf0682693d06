package dev.vesper.console;

/**
 * One registered Vesper service: its kind (API interface), its name property, and its bundle;
 * {@code unusable} says why the console cannot use it (so neither can the trainer), null when it can.
 */
public record ServiceEntry(String kind, String name, String bundle, String version, long ranking, String unusable) {
    public boolean usable() {
        return unusable == null;
    }
}

package dev.vesper.console;

/** One registered Vesper service: its kind (API interface), its name property, and its bundle. */
public record ServiceEntry(String kind, String name, String bundle, String version, long ranking) {
}

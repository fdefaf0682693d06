package dev.vesper.console;

/** Says whether the JVM has the incubating Vector API, and its preferred float vector width. */
final class VectorSupport {
    private VectorSupport() {
    }

    static String describe() {
        try {
            int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            return "Vector API, " + bits + "-bit (" + bits / 32 + " floats)";
        } catch (LinkageError e) {
            return "no Vector API (start the JVM with --add-modules jdk.incubator.vector): scalar path";
        }
    }
}

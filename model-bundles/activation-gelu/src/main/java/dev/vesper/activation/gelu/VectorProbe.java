package dev.vesper.activation.gelu;

/** Whether the Vector API can be used: probed once, since the module is optional at runtime. */
final class VectorProbe {
    static final boolean AVAILABLE = probe();

    private VectorProbe() {
    }

    private static boolean probe() {
        if (Boolean.getBoolean("vesper.activation.novector")) {
            return false;
        }
        try {
            return GeluVector.usable();
        } catch (LinkageError e) {
            return false;
        }
    }
}

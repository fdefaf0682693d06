package dev.vesper.optim.support;

/** Whether the incubating Vector API can be used here; asked once, the answer cached by the caller. */
final class VectorProbe {
    private VectorProbe() {
    }

    static boolean available() {
        if (Boolean.getBoolean("vesper.optim.noVector")) {
            return false;
        }
        try {
            return AdamVectorKernel.lanes() > 1;
        } catch (LinkageError | RuntimeException e) {
            // module absent (NoClassDefFoundError) or not usable here: the scalar loop does the work
            return false;
        }
    }
}

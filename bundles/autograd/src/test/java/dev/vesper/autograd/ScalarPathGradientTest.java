package dev.vesper.autograd;

import dev.vesper.tensor.cpu.CpuBackend;

/** The finite-difference checks again on the scalar path (no Vector API) with one thread. */
class ScalarPathGradientTest extends GradientTest {
    @Override
    CpuBackend backend() {
        return new CpuBackend(1, false);
    }
}

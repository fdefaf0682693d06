package dev.vesper.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Tensor;
import dev.vesper.cuda.internal.GemmDevice;
import dev.vesper.cuda.internal.GemmPlan.Launch;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where the CUDA backend sends a product, checked without a GPU: a scripted device stands in for
 * the driver, and every product must come out right whichever side did it.
 */
class CudaBackendDispatchTest {
    private final CpuBackend cpu = new CpuBackend(1, true);
    private final Random r = new Random(9);

    /** Does the plan on the host when "working"; can be closed, made to fail, or made too small. */
    private final class ScriptedDevice implements GemmDevice {
        int calls;
        boolean closed;
        boolean failing;
        boolean fits = true;

        @Override
        public String description() {
            return "scripted";
        }

        @Override
        public boolean fits(List<Launch> plan) {
            return fits;
        }

        @Override
        public boolean gemm(List<Launch> plan, float[] a, int aOffset, int aSize, float[] b, int bOffset, int bSize,
                            float[] c, int cOffset, int cSize) {
            calls++;
            if (closed) {
                return false;
            }
            if (failing) {
                throw new IllegalStateException("CUDA_ERROR_OUT_OF_MEMORY");
            }
            dev.vesper.cuda.internal.GemmPlanTest.runOnHost(plan, Tensor.wrap(a, aOffset, new int[] {aSize}),
                    Tensor.wrap(b, bOffset, new int[] {bSize}), Tensor.wrap(c, cOffset, new int[] {cSize}));
            return true;
        }
    }

    private Tensor rand(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    /** One 64×64×64 product with beta 1 (so a half-done product would show), checked against the CPU. */
    private void productIsRight(CudaBackend backend) {
        Tensor a = rand(64, 64), b = rand(64, 64), c = rand(64, 64);
        Tensor want = c.copy();
        cpu.matmul(a, false, b, false, want, 1f);
        backend.matmul(a, false, b, false, c, 1f);
        for (int i = 0; i < c.size(); i++) {
            assertEquals(want.get(i), c.get(i), 1e-4f * (1 + Math.abs(want.get(i))), "at " + i);
        }
    }

    @Test
    void largeProductsGoToTheDeviceAndSmallOnesStayOnTheHost() {
        ScriptedDevice device = new ScriptedDevice();
        CudaBackend backend = new CudaBackend(device, cpu, 64L * 64 * 64);
        productIsRight(backend);
        assertEquals(1, device.calls);
        Tensor small = rand(8, 8);
        backend.matmul(small, false, small, false, Tensor.zeros(8, 8), 0f);
        assertEquals(1, device.calls, "an 8x8x8 product is not worth the copies");
    }

    @Test
    void aClosedDeviceOrAPlanBeyondTheGridLeavesTheProductToTheHost() {
        ScriptedDevice device = new ScriptedDevice();
        CudaBackend backend = new CudaBackend(device, cpu, 0);
        device.closed = true;
        productIsRight(backend);
        device.closed = false;
        device.fits = false;
        int before = device.calls;
        productIsRight(backend);
        assertEquals(before, device.calls, "a plan that does not fit is never sent");
    }

    @Test
    void afterADriverFailureEveryProductRunsOnTheHost() {
        ScriptedDevice device = new ScriptedDevice();
        CudaBackend backend = new CudaBackend(device, cpu, 0);
        device.failing = true;
        productIsRight(backend);
        assertEquals(1, device.calls);
        device.failing = false;
        productIsRight(backend);
        productIsRight(backend);
        assertEquals(1, device.calls, "the device is not tried again");
        assertTrue(backend.describe().startsWith("CUDA scripted"), backend.describe());
    }
}

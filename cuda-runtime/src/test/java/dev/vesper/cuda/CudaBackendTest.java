package dev.vesper.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vesper.api.tensor.Tensor;
import dev.vesper.cuda.internal.CudaDevice;
import dev.vesper.cuda.internal.CudaUnavailableException;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA kernels against the CPU backend, on a real GPU. Where none is found these tests are
 * skipped, saying why; {@code -Dvesper.requireCuda=true} turns that into a failure, for runs on
 * GPU machines that must not pass by skipping.
 */
class CudaBackendTest {
    private static CudaDevice device;
    private static String absent;
    private final CpuBackend cpu = new CpuBackend(1, true);
    private final Random r = new Random(5);

    @BeforeAll
    static void open() {
        try {
            device = CudaDevice.open(0);
        } catch (CudaUnavailableException e) {
            absent = e.getMessage();
            if (Boolean.getBoolean("vesper.requireCuda")) {
                fail("vesper.requireCuda is set, but " + absent);
            }
        }
    }

    @AfterAll
    static void close() {
        if (device != null) {
            device.close();
        }
    }

    private CudaBackend gpu() {
        assumeTrue(device != null, () -> "no CUDA device: " + absent);
        return new CudaBackend(device, cpu, 0);   // every product on the GPU, however small
    }

    private Tensor rand(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    private void check(CudaBackend gpu, int[] as, boolean ta, int[] bs, boolean tb, int[] cs, float beta) {
        Tensor a = rand(as), b = rand(bs), c = rand(cs);
        Tensor want = c.copy();
        cpu.matmul(a, ta, b, tb, want, beta);
        if (beta == 0f) {
            c.fill(Float.NaN);   // beta 0 must overwrite whatever c held
        }
        gpu.matmul(a, ta, b, tb, c, beta);
        int k = ta ? as[as.length - 2] : as[as.length - 1];
        float tol = 1e-5f * (float) Math.sqrt(k) + 1e-5f;
        for (int i = 0; i < c.size(); i++) {
            float w = want.get(i), g = c.get(i);
            assertTrue(Math.abs(w - g) <= tol * (1 + Math.abs(w)), Arrays.toString(as) + (ta ? "T " : " ")
                    + Arrays.toString(bs) + (tb ? "T" : "") + " beta " + beta + " at " + i + ": " + g + " vs " + w);
        }
    }

    @Test
    void productsAcrossTileEdgesMatchTheCpu() {
        CudaBackend gpu = gpu();
        int[] sizes = {1, 17, 63, 64, 65, 130};
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : new int[] {1, 15, 16, 33, 200}) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        check(gpu, ta ? new int[] {k, m} : new int[] {m, k}, ta,
                                tb ? new int[] {n, k} : new int[] {k, n}, tb, new int[] {m, n}, t == 3 ? 0.5f : 0f);
                    }
                }
            }
        }
    }

    @Test
    void batchedAndSummedProductsMatchTheCpu() {
        CudaBackend gpu = gpu();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f}) {
                    int[] a = ta ? new int[] {2, 4, 72, 70} : new int[] {2, 4, 70, 72};
                    check(gpu, a, ta, tb ? new int[] {2, 4, 66, 72} : new int[] {2, 4, 72, 66}, tb,
                            new int[] {2, 4, 70, 66}, beta);
                    check(gpu, a, ta, tb ? new int[] {66, 72} : new int[] {72, 66}, tb, new int[] {8, 70, 66}, beta);
                    check(gpu, a, ta, tb ? new int[] {2, 4, 66, 72} : new int[] {2, 4, 72, 66}, tb,
                            new int[] {70, 66}, beta);
                }
            }
        }
    }

    @Test
    void theTrainingStepsShapesMatchTheCpu() {
        CudaBackend gpu = gpu();
        // tiny at vocabulary 4096, batch 16 × 128: projections, the head, and their gradients
        check(gpu, new int[] {16, 128, 256}, false, new int[] {256, 768}, false, new int[] {16, 128, 768}, 0f);
        check(gpu, new int[] {16, 128, 256}, false, new int[] {4096, 256}, true, new int[] {16, 128, 4096}, 0f);
        check(gpu, new int[] {16, 128, 4096}, true, new int[] {16, 128, 256}, false, new int[] {4096, 256}, 1f);
        check(gpu, new int[] {16, 4, 128, 64}, false, new int[] {16, 4, 128, 64}, true, new int[] {16, 4, 128, 128}, 0f);
    }

    @Test
    void tensorsAtAnOffsetAreReadAndWrittenInPlace() {
        CudaBackend gpu = gpu();
        float[] backing = new float[10 + 70 * 80 + 80 * 90 + 70 * 90];
        for (int i = 0; i < backing.length; i++) {
            backing[i] = (float) r.nextGaussian();
        }
        Tensor a = Tensor.wrap(backing, 10, new int[] {70, 80});
        Tensor b = Tensor.wrap(backing, 10 + 70 * 80, new int[] {80, 90});
        Tensor c = Tensor.wrap(backing, 10 + 70 * 80 + 80 * 90, new int[] {70, 90});
        float[] before = backing.clone();
        Tensor want = c.copy();
        cpu.matmul(a, false, b, false, want, 1f);
        gpu.matmul(a, false, b, false, c, 1f);
        for (int i = 0; i < 10 + 70 * 80 + 80 * 90; i++) {
            assertEquals(before[i], backing[i], "operands untouched at " + i);
        }
        for (int i = 0; i < c.size(); i++) {
            assertEquals(want.get(i), c.get(i), 1e-4f * (1 + Math.abs(want.get(i))), "at " + i);
        }
    }

    @Test
    void productsBeyondTheGridRunOnTheHost() {
        CudaBackend gpu = gpu();
        // a batch of 70,000 exceeds the grid's 65,535 in z: the host does it, and the result is still right
        check(gpu, new int[] {70_000, 2, 3}, false, new int[] {70_000, 3, 2}, false, new int[] {70_000, 2, 2}, 0f);
    }

    @Test
    void aClosedDeviceLeavesProductsToTheHost() throws Exception {
        gpu();
        CudaDevice second = CudaDevice.open(0);
        CudaBackend backend = new CudaBackend(second, cpu, 0);
        check(backend, new int[] {70, 80}, false, new int[] {80, 90}, false, new int[] {70, 90}, 0f);
        second.close();
        // what a job still holding the backend sees after the bundle stopped: products go on, on the CPU
        check(backend, new int[] {70, 80}, false, new int[] {80, 90}, false, new int[] {70, 90}, 1f);
    }

    @Test
    void describeNamesTheDevice() {
        assertTrue(gpu().describe().startsWith("CUDA device 0: "), gpu().describe());
    }
}

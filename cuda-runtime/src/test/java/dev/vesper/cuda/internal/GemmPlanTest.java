package dev.vesper.cuda.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Tensor;
import dev.vesper.cuda.internal.GemmPlan.Launch;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plan, run by a plain loop that reads memory exactly as the CUDA kernel does, must give what
 * the CPU backend gives for every shape case of {@code matmul}. The kernel itself is checked on a
 * GPU by {@code CudaBackendTest}.
 */
public class GemmPlanTest {
    private final CpuBackend cpu = new CpuBackend(1, false);
    private final Random r = new Random(11);

    /** The kernel's addressing, in a loop: strides, batch offsets and beta as the PTX applies them. */
    public static void runOnHost(List<Launch> plan, Tensor a, Tensor b, Tensor c) {
        float[] ad = a.data(), bd = b.data(), cd = c.data();
        for (Launch l : plan) {
            for (int z = 0; z < l.batch(); z++) {
                for (int i = 0; i < l.m(); i++) {
                    for (int j = 0; j < l.n(); j++) {
                        float acc = 0;
                        for (int p = 0; p < l.k(); p++) {
                            acc = Math.fma(ad[(int) (a.offset() + l.aOffset() + z * l.aBatch() + (long) i * l.aRow() + (long) p * l.aCol())],
                                    bd[(int) (b.offset() + l.bOffset() + z * l.bBatch() + (long) p * l.bRow() + (long) j * l.bCol())], acc);
                        }
                        int at = (int) (c.offset() + l.cOffset() + z * l.cBatch() + (long) i * l.ldc() + j);
                        cd[at] = l.beta() == 0f ? acc : acc + l.beta() * cd[at];
                    }
                }
            }
        }
    }

    private Tensor rand(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    /** A tensor that sits at a nonzero offset of a larger array, as views do. */
    private Tensor offsetRand(int... shape) {
        Tensor whole = rand(3 + Tensor.zeros(shape).size());
        return Tensor.wrap(whole.data(), 3, shape);
    }

    private void check(int[] as, boolean ta, int[] bs, boolean tb, int[] cs, float beta) {
        Tensor a = offsetRand(as), b = offsetRand(bs), c = offsetRand(cs);
        Tensor want = c.copy();
        cpu.matmul(a, ta, b, tb, want, beta);
        if (beta == 0f) {
            c.fill(Float.NaN);
        }
        runOnHost(GemmPlan.of(as, ta, bs, tb, cs, beta), a, b, c);
        for (int i = 0; i < c.size(); i++) {
            float w = want.get(i), g = c.get(i);
            assertTrue(Math.abs(w - g) <= 1e-4f * (1 + Math.abs(w)),
                    java.util.Arrays.toString(as) + ta + java.util.Arrays.toString(bs) + tb + " at " + i + ": " + g + " vs " + w);
        }
    }

    @Test
    void everyShapeCaseMatchesTheCpuBackend() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (float beta : new float[] {0f, 1f, 0.5f}) {
                    // 2-D
                    check(ta ? new int[] {7, 5} : new int[] {5, 7}, ta, tb ? new int[] {9, 7} : new int[] {7, 9}, tb,
                            new int[] {5, 9}, beta);
                    // batch against batch, and batch against one matrix (both sides)
                    check(ta ? new int[] {2, 3, 7, 5} : new int[] {2, 3, 5, 7}, ta,
                            tb ? new int[] {2, 3, 9, 7} : new int[] {2, 3, 7, 9}, tb, new int[] {2, 3, 5, 9}, beta);
                    check(ta ? new int[] {4, 7, 5} : new int[] {4, 5, 7}, ta, tb ? new int[] {9, 7} : new int[] {7, 9}, tb,
                            new int[] {4, 5, 9}, beta);
                    check(ta ? new int[] {7, 5} : new int[] {5, 7}, ta, tb ? new int[] {4, 9, 7} : new int[] {4, 7, 9}, tb,
                            new int[] {4, 5, 9}, beta);
                    // a batch summed into one 2-D output (a broadcast operand's gradient)
                    check(ta ? new int[] {4, 7, 5} : new int[] {4, 5, 7}, ta, tb ? new int[] {4, 9, 7} : new int[] {4, 7, 9}, tb,
                            new int[] {5, 9}, beta);
                }
            }
        }
    }

    @Test
    void rowsOfABatchAgainstOneMatrixStackIntoOneLaunch() {
        List<Launch> plan = GemmPlan.of(new int[] {16, 128, 256}, false, new int[] {256, 768}, false,
                new int[] {16, 128, 768}, 0f);
        assertEquals(1, plan.size());
        assertEquals(16 * 128, plan.get(0).m());
    }

    @Test
    void aWrongOutputShapeIsRefusedNamingBothOperands() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmPlan.of(new int[] {2, 3}, false, new int[] {3, 4}, false, new int[] {2, 5}, 0f));
        assertTrue(e.getMessage().contains("[2,3] x [3,4]"), e.getMessage());
    }
}

package dev.vesper.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** sgemm against a naive double-precision reference: all transposes, awkward shapes, both paths. */
class MatmulTest {
    private static final CpuBackend[] BACKENDS = {
        new CpuBackend(), new CpuBackend(1, true), new CpuBackend(2, false), new CpuBackend(1, false)};
    private final Random r = new Random(3);

    private Tensor rand(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    /** Reference for one matrix of a batch, in double. */
    private static double ref(Tensor a, int ao, boolean ta, Tensor b, int bo, boolean tb, int i, int j, int k) {
        int lda = a.dim(-1), ldb = b.dim(-1);
        double s = 0;
        for (int p = 0; p < k; p++) {
            float x = ta ? a.get(ao + p * lda + i) : a.get(ao + i * lda + p);
            float y = tb ? b.get(bo + j * ldb + p) : b.get(bo + p * ldb + j);
            s += (double) x * y;
        }
        return s;
    }

    private void check2d(CpuBackend be, int m, int n, int k, boolean ta, boolean tb, float beta) {
        Tensor a = ta ? rand(k, m) : rand(m, k);
        Tensor b = tb ? rand(n, k) : rand(k, n);
        Tensor c = rand(m, n);
        Tensor c0 = c.copy();
        if (beta == 0f) {
            c.fill(Float.NaN);   // beta 0 must overwrite whatever c held
        }
        be.matmul(a, ta, b, tb, c, beta);
        double tol = 1e-4 * Math.sqrt(k) + 1e-5;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = ref(a, 0, ta, b, 0, tb, i, j, k) + (beta == 0f ? 0 : beta * c0.get(i * n + j));
                double got = c.get(i * n + j);
                assertTrue(Math.abs(want - got) <= tol * (1 + Math.abs(want)),
                        be.describe() + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " at " + i + "," + j
                                + ": " + got + " vs " + want);
            }
        }
    }

    @Test
    void allTransposesAwkwardShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 7, 13}, {2, 65, 33}, {3, 5, 1}, {7, 13, 33}, {13, 65, 7}, {33, 7, 65},
            {65, 129, 97}, {97, 200, 31}, {6, 64, 512}, {100, 70, 1030}, {193, 131, 9},
            // a packed B block wider than L2: swept A panel first
            {37, 1100, 300}};
        for (CpuBackend be : BACKENDS) {
            for (int[] s : shapes) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        check2d(be, s[0], s[1], s[2], ta, tb, 0f);
                    }
                }
            }
            check2d(be, 13, 33, 65, false, true, 1f);
            check2d(be, 33, 13, 7, true, false, 0.5f);
        }
    }

    /**
     * Threads claim blocks dynamically, so which thread computes a block varies from call to call; the
     * bits must not. Shapes that split M over one or several depth blocks, split N, and stay on one thread.
     */
    @Test
    void sameBitsOnAnyThreadCount() {
        int[][] shapes = {{200, 1100, 70}, {37, 1100, 300}, {600, 64, 256}, {6, 600, 300}, {5, 33, 7}};
        CpuBackend[] byThreads = {new CpuBackend(1, true), new CpuBackend(2, true), new CpuBackend(3, true)};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f}) {
                        Tensor a = ta ? rand(s[2], s[0]) : rand(s[0], s[2]);
                        Tensor b = tb ? rand(s[1], s[2]) : rand(s[2], s[1]);
                        Tensor c0 = rand(s[0], s[1]);
                        Tensor want = c0.copy();
                        byThreads[0].matmul(a, ta, b, tb, want, beta);
                        for (int t = 1; t < byThreads.length; t++) {
                            for (int rep = 0; rep < 3; rep++) {
                                Tensor got = c0.copy();
                                byThreads[t].matmul(a, ta, b, tb, got, beta);
                                for (int i = 0; i < want.size(); i++) {
                                    assertEquals(Float.floatToRawIntBits(want.get(i)), Float.floatToRawIntBits(got.get(i)),
                                            (t + 1) + " threads, " + s[0] + "x" + s[1] + "x" + s[2] + " ta=" + ta + " tb=" + tb
                                                    + " beta=" + beta + " at " + i);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchedBroadcastAndBatchSum() {
        for (CpuBackend be : BACKENDS) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int bt = 3, m = 7, n = 13, k = 33;
                    Tensor a = ta ? rand(bt, k, m) : rand(bt, m, k);
                    Tensor b = tb ? rand(bt, n, k) : rand(bt, k, n);
                    Tensor w = tb ? rand(n, k) : rand(k, n);
                    Tensor a2 = ta ? rand(k, m) : rand(m, k);
                    Tensor c = Tensor.zeros(bt, m, n), cw = Tensor.zeros(bt, m, n), ca = Tensor.zeros(bt, m, n);
                    Tensor sum = Tensor.zeros(m, n);
                    be.matmul(a, ta, b, tb, c, 0f);
                    be.matmul(a, ta, w, tb, cw, 0f);
                    be.matmul(a2, ta, b, tb, ca, 0f);
                    be.matmul(a, ta, b, tb, sum, 0f);
                    int am = m * k, bm = n * k;
                    for (int x = 0; x < bt; x++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                int o = x * m * n + i * n + j;
                                assertEquals(ref(a, x * am, ta, b, x * bm, tb, i, j, k), c.get(o), 1e-3, "batched");
                                assertEquals(ref(a, x * am, ta, w, 0, tb, i, j, k), cw.get(o), 1e-3, "2-D b");
                                assertEquals(ref(a2, 0, ta, b, x * bm, tb, i, j, k), ca.get(o), 1e-3, "2-D a");
                            }
                        }
                    }
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int x = 0; x < bt; x++) {
                                s += ref(a, x * am, ta, b, x * bm, tb, i, j, k);
                            }
                            assertEquals(s, sum.get(i * n + j), 2e-3, "batch sum ta=" + ta + " tb=" + tb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void offsetsAreHonoured() {
        CpuBackend be = new CpuBackend();
        float[] buf = new float[5 + 7 * 9];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (float) r.nextGaussian();
        }
        Tensor a = Tensor.wrap(buf, 5, new int[] {7, 9});
        Tensor b = rand(9, 4);
        Tensor c = Tensor.zeros(7, 4);
        be.matmul(a, false, b, false, c, 0f);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(ref(a.copy(), 0, false, b, 0, false, i, j, 9), c.get(i * 4 + j), 1e-4);
            }
        }
    }

    @Test
    void shapeErrorsNameBothShapes() {
        CpuBackend be = new CpuBackend();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.matmul(Tensor.zeros(2, 3), false, Tensor.zeros(4, 5), false, Tensor.zeros(2, 5), 0f));
        assertEquals("matmul: [2,3] x [4,5]: inner dimensions 3 and 4 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> be.matmul(Tensor.zeros(2, 3), false, Tensor.zeros(3, 5), false, Tensor.zeros(2, 4), 0f));
        assertTrue(e.getMessage().contains("output [2,4] should be [2,5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> be.matmul(Tensor.zeros(2, 2, 3), false, Tensor.zeros(3, 3, 5), false, Tensor.zeros(2, 2, 5), 0f));
        assertTrue(e.getMessage().contains("batch dimensions differ"), e.getMessage());
    }

    @Test
    void describeSaysWhichPath() {
        assertTrue(new CpuBackend(1, false).describe().contains("scalar"));
        String d = new CpuBackend().describe();
        assertTrue(d.contains("Vector API") || d.contains("scalar"), d);
    }
}

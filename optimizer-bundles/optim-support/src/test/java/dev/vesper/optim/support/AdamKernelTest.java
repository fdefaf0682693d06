package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamKernelTest {
    private static float[] random(int n, long seed, double zeroFraction) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble() < zeroFraction ? 0f : (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void theVectorAndScalarLoopsGiveTheSameBits() {
        assertTrue(AdamKernel.vectorized(), "the Vector API should be present in tests (surefire adds the module)");
        for (boolean sparse : new boolean[] {false, true}) {
            for (int n : new int[] {1, 7, 8, 15, 16, 17, 33, 1000, 4099}) {
                AdamCoefficients c = new AdamCoefficients();
                c.set(3e-3, 0.87, 0.999, 1e-8, 0.01, 0.87 * 0.9, 2, sparse, 0.05);
                float[] p = random(n + 3, n, 0);
                float[] g = random(n, n + 1, 0.3);
                float[] m = random(n, n + 2, 0);
                float[] v = random(n, n + 3, 0);
                for (int i = 0; i < n; i++) {
                    v[i] = Math.abs(v[i]);
                }
                float[] p2 = p.clone();
                float[] m2 = m.clone();
                float[] v2 = v.clone();
                int s1 = AdamKernel.update(c, c.decayFactor, p, 3, g, m, v, 0, n, true);
                int s2 = AdamKernel.updateScalar(c, c.decayFactor, p2, 3, g, m2, v2, 0, n);
                assertArrayEquals(p2, p, "p, n=" + n + " sparse=" + sparse);
                assertArrayEquals(m2, m, "m, n=" + n);
                assertArrayEquals(v2, v, "v, n=" + n);
                assertEquals(s2, s1);
            }
        }
    }

    @Test
    void matchesTheSpecInDoublePrecision() {
        int n = 257;
        float[] p = random(n, 1, 0);
        float[] g = random(n, 2, 0);
        float[] m = new float[n];
        float[] v = new float[n];
        double[] pd = new double[n];
        double[] md = new double[n];
        double[] vd = new double[n];
        for (int i = 0; i < n; i++) {
            pd[i] = p[i];
        }
        double lr = 1e-2;
        double wd = 0.1;
        AdamCoefficients c = new AdamCoefficients();
        for (int t = 1; t <= 5; t++) {
            c.set(lr, 0.9, 0.999, 1e-8, wd, Math.pow(0.9, t), t, false, 0);
            AdamKernel.update(c, c.decayFactor, p, 0, g, m, v, 0, n, true);
            for (int i = 0; i < n; i++) {
                pd[i] *= 1 - lr * wd;
                md[i] = 0.9 * md[i] + 0.1 * g[i];
                vd[i] = 0.999 * vd[i] + 0.001 * g[i] * g[i];
                pd[i] -= lr * (md[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(vd[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(pd[i], p[i], 1e-6 * Math.max(1, Math.abs(pd[i])), "element " + i);
        }
    }

    @Test
    void sparseSkipsSmallGradientsEntirely() {
        AdamCoefficients c = new AdamCoefficients();
        c.set(0.1, 0.9, 0.999, 1e-8, 0.5, 0.9, 1, true, 0.0);
        float[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
        float[] g = new float[17];
        g[4] = 1f;
        g[16] = -0f;
        float[] m = new float[17];
        float[] v = new float[17];
        int skipped = AdamKernel.update(c, c.decayFactor, p, 0, g, m, v, 0, 17, true);
        assertEquals(16, skipped);
        for (int i = 0; i < 17; i++) {
            if (i != 4) {
                assertEquals(i + 1, p[i], 0.0, "skipped element " + i + " changed");
                assertEquals(0, m[i], 0.0);
            }
        }
        assertEquals(5 * (1 - 0.05f) - 0.1f, p[4], 1e-6);
    }
}

package dev.vesper.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.tensor.cpu.internal.Simd;
import org.junit.jupiter.api.Test;

/** The vector exponential against Math.exp, through the shifted-exp kernel that softmax, attention and the loss use. */
class ExpTest {
    @Test
    void shiftedExpMatchesMathExp() {
        for (Simd simd : new Simd[] {Simd.best(), Simd.scalar()}) {
            int n = 40_003;                       // not a multiple of the vector length: the tail runs too
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = -95f + 105f * i / (n - 1);  // [-95, 10]: underflow region to large values
            }
            float shift = 1.5f;
            float sum = simd.expShift(x, 0, y, 0, n, shift);
            double worst = 0, want = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp((float) (x[i] - shift));    // the kernel subtracts in float too
                want += e;
                if (e > 1e-37) {
                    worst = Math.max(worst, Math.abs(y[i] - e) / e);
                } else {
                    assertTrue(y[i] >= 0 && y[i] < 2e-37, "exp(" + (x[i] - shift) + ") = " + y[i]);
                }
            }
            assertTrue(worst < 5e-7, (simd.vectorised() ? "vector" : "scalar") + " exp: relative error " + worst);
            assertEquals(want, sum, want * 1e-5);
        }
    }
}

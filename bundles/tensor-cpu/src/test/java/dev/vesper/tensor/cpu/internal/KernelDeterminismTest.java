package dev.vesper.tensor.cpu.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.InterpreterParity;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * This bundle's vector kernels give the same bits interpreted and JIT-compiled (see
 * {@link InterpreterParity}). The exp/tanh accuracy is checked once, in the lane-math bundle.
 */
class KernelDeterminismTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /** Runs in the child JVM: prints the kernels' results as raw bits. */
    public static void main(String[] args) {
        Simd simd = Simd.best();
        InterpreterParity.print(simd.vectorised(), kernels(simd));
    }

    /** Every Simd kernel that reduces lanes or takes exponentials, on fixed inputs; the outputs in a row. */
    static float[] kernels(Simd simd) {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 3 * L + 5;                            // the vector loops and the scalar tails both run
        float[] a = new float[n], b = new float[n], w = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-3, 3);
            b[i] = (float) rnd.nextDouble(-3, 3);
            w[i] = (float) rnd.nextDouble(0.5, 1.5);
        }
        float[] e = new float[n];
        float[] dx = new float[n];
        List<Float> r = new ArrayList<>();
        r.add(simd.dot(a, 0, b, 0, n));
        r.add(simd.dot(a, 1, b, 2, n - 2));
        r.add(simd.sum(a, 0, n));
        r.add(simd.sumSquaredDeviation(a, 0, n, 0.25f));
        simd.normalizeRowBackward(b, 0, a, 0, w, 0, dx, 0, n, 0.1f, 1.3f);
        for (float f : dx) {
            r.add(f);
        }
        float[] wide = new float[InterpreterParity.EDGES.length + 40 * L];
        System.arraycopy(InterpreterParity.EDGES, 0, wide, 0, InterpreterParity.EDGES.length);
        for (int i = InterpreterParity.EDGES.length; i < wide.length; i++) {
            wide[i] = (float) rnd.nextDouble(-110, 95);
        }
        float[] ew = new float[wide.length];
        r.add(simd.expShift(a, 0, e, 0, n, 2.5f));
        r.add(simd.expShift(wide, 0, ew, 0, wide.length, 0f));
        for (float f : e) {
            r.add(f);
        }
        for (float f : ew) {
            r.add(f);
        }
        // RoPE rotation of a row of 2·(L + 3) values, both directions (vector part and scalar tail)
        int half = L + 3;
        float[] rot = new float[2 * half];
        simd.rotateHalf(a, 0, w, b, 1, rot, 0, half, false);
        simd.rotateHalf(b, 0, w, a, 2, rot, 0, half, true);
        for (float f : rot) {
            r.add(f);
        }
        float[] flat = new float[r.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = r.get(i);
        }
        return flat;
    }

    /** The vector rotation keeps the scalar order of products and sums, so both paths give the same bits. */
    @Test
    void ropeRotationSameBitsOnBothPaths() {
        SplittableRandom rnd = new SplittableRandom(11);
        int half = 2 * L + 5;
        float[] x = new float[2 * half], cos = new float[half + 3], sin = new float[half + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-4, 4);
        }
        for (int i = 0; i < cos.length; i++) {
            double angle = rnd.nextDouble(0, 7);
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
        for (boolean backward : new boolean[] {false, true}) {
            float[] want = x.clone(), got = x.clone();
            Simd.scalar().rotateHalf(x, 0, cos, sin, 3, want, 0, half, backward);
            Simd.best().rotateHalf(x, 0, cos, sin, 3, got, 0, half, backward);
            for (int i = 0; i < want.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                        "backward=" + backward + " at " + i);
            }
        }
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        Simd simd = Simd.best();
        assertTrue(simd.vectorised(), "the test JVM should run the vector path");
        InterpreterParity.assertCompiledMatchesInterpreter(KernelDeterminismTest.class, () -> kernels(simd));
    }
}

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
        float[] flat = new float[r.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = r.get(i);
        }
        return flat;
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        Simd simd = Simd.best();
        assertTrue(simd.vectorised(), "the test JVM should run the vector path");
        InterpreterParity.assertCompiledMatchesInterpreter(KernelDeterminismTest.class, () -> kernels(simd));
    }
}

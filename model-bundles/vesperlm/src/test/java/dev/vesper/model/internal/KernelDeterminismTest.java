package dev.vesper.model.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.InterpreterParity;
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
        InterpreterParity.print(VectorKernels.usable(), kernels());
    }

    /** The decoder's dot products (one per row of a matrix) and softmax exponentials on fixed inputs. */
    static float[] kernels() {
        SplittableRandom rnd = new SplittableRandom(7);
        int cols = 5 * L + 3, rows = 4;
        float[] w = InterpreterParity.inputs(rnd, rows * cols, -2, 2);
        float[] x = InterpreterParity.inputs(new SplittableRandom(8), cols, -2, 2);
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = VectorKernels.dot(w, r * cols, x, 0, cols);
        }
        float[] d = {VectorKernels.dot(w, 1, x, 0, cols - 1), VectorKernels.dot(w, 0, x, 0, 2 * L + 1)};
        float[] e = InterpreterParity.inputs(rnd, 40 * L + 3, -110, 0);
        float[] sum = {VectorKernels.expShift(e, 0, e.length, -2.5f)};
        return InterpreterParity.concat(y, d, e, sum);
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        assertTrue(VectorKernels.usable(), "the test JVM should run the vector path");
        InterpreterParity.assertCompiledMatchesInterpreter(KernelDeterminismTest.class, KernelDeterminismTest::kernels);
    }
}

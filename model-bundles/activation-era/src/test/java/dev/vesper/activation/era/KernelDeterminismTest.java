package dev.vesper.activation.era;

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
        InterpreterParity.print(EraVector.usable(), kernels());
    }

    /** ERA forward and backward on fixed rows (several temperatures and gains); the outputs in a row. */
    static float[] kernels() {
        SplittableRandom rnd = new SplittableRandom(7);
        int cols = 3 * L + 5, rows = 3;
        float[] x = InterpreterParity.inputs(rnd, rows * cols, -6, 6);
        float[] dy = InterpreterParity.inputs(new SplittableRandom(8), rows * cols, -1, 1);
        float[] y = new float[x.length], dx = new float[x.length], y2 = new float[x.length], dx2 = new float[x.length];
        EraVector.forward(x, y, cols, 0, rows, 1f, 0.5f);
        EraVector.backward(x, dy, dx, cols, 0, rows, 1f, 0.5f);
        EraVector.forward(x, y2, cols, 0, rows, 0.37f, -0.2f);
        EraVector.backward(x, dy, dx2, cols, 0, rows, 0.37f, -0.2f);
        return InterpreterParity.concat(y, dx, y2, dx2);
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        assertTrue(EraVector.usable(), "the test JVM should run the vector path");
        InterpreterParity.assertCompiledMatchesInterpreter(KernelDeterminismTest.class, KernelDeterminismTest::kernels);
    }
}

package dev.vesper.activation.gelu;

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
        InterpreterParity.print(GeluVector.usable(), kernels());
    }

    /** GELU forward and backward on fixed inputs; the outputs in a row. */
    static float[] kernels() {
        int n = 40 * L + 3;
        float[] x = InterpreterParity.inputs(new SplittableRandom(7), n, -12, 12);
        float[] dy = InterpreterParity.inputs(new SplittableRandom(8), n, -1, 1);
        float[] y = new float[n], dx = new float[n];
        GeluVector.forward(x, y, 0, n);
        GeluVector.backward(x, dy, dx, 1, n);
        return InterpreterParity.concat(y, dx);
    }

    @Test
    void compiledKernelsGiveTheInterpretersBits() throws Exception {
        assertTrue(GeluVector.usable(), "the test JVM should run the vector path");
        InterpreterParity.assertCompiledMatchesInterpreter(KernelDeterminismTest.class, KernelDeterminismTest::kernels);
    }
}

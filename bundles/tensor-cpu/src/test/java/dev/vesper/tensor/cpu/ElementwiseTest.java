package dev.vesper.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Broadcasting elementwise ops against a plain loop, on tensors large enough to be split across threads
 * (pieces then start and end inside a repeat of the broadcast operand).
 */
class ElementwiseTest {
    private static final CpuBackend[] BACKENDS = {new CpuBackend(1, true), new CpuBackend(2, true), new CpuBackend(3, true)};
    /** a: 3 × 139 × 331 (138,027 elements, over two of the backend's 65,536-element grains); b: each suffix. */
    private static final int[] A_SHAPE = {3, 139, 331};
    private static final int[][] B_SHAPES = {A_SHAPE, {139, 331}, {331}};
    private final Random r = new Random(11);

    private Tensor rand(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    @Test
    void addAndMulMatchAPlainLoopOnAnyThreadCount() {
        Tensor a = rand(A_SHAPE);
        for (int[] bShape : B_SHAPES) {
            Tensor b = rand(bShape);
            for (CpuBackend be : BACKENDS) {
                Tensor sum = Tensor.zeros(A_SHAPE), product = Tensor.zeros(A_SHAPE);
                be.add(a, b, sum);
                be.mul(a, b, product);
                for (int i = 0; i < a.size(); i++) {
                    float x = a.get(i), y = b.get(i % b.size());
                    assertEquals(x + y, sum.get(i), 0f, "add, b " + b.shapeString() + " at " + i);
                    assertEquals(x * y, product.get(i), 0f, "mul, b " + b.shapeString() + " at " + i);
                }
            }
        }
    }

    @Test
    void mulBackwardAddsTheInputGradientOnAnyThreadCount() {
        Tensor a = rand(A_SHAPE), dy = rand(A_SHAPE), da0 = rand(A_SHAPE);
        for (int[] bShape : B_SHAPES) {
            Tensor b = rand(bShape);
            for (CpuBackend be : BACKENDS) {
                Tensor da = da0.copy();
                be.mulBackward(dy, a, b, da, null);
                for (int i = 0; i < a.size(); i++) {
                    float want = da0.get(i) + dy.get(i) * b.get(i % b.size());
                    assertEquals(want, da.get(i), 0f, "da, b " + b.shapeString() + " at " + i);
                }
            }
        }
    }
}

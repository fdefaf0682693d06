package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
    private static Parameter param(String name, int n, long seed, boolean trainable) {
        Tensor t = Tensor.zeros(n).requiresGrad(true);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            t.grad()[i] = (float) r.nextGaussian();
        }
        t.requiresGrad(trainable);
        return new Parameter(name, t, false);
    }

    private static double referenceNorm(List<Parameter> ps) {
        double s = 0;
        for (Parameter p : ps) {
            if (p.trainable()) {
                for (int i = 0; i < p.value().size(); i++) {
                    s += (double) p.value().grad()[i] * p.value().grad()[i];
                }
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void clipsToTheMaximumNormAndReturnsTheNormBefore() {
        List<Parameter> ps = List.of(param("a", 1001, 1, true), param("b", 7, 2, true), param("frozen", 50, 3, false));
        float[] frozenBefore = ps.get(2).value().grad().clone();
        double expected = referenceNorm(ps);
        double before = GradientClipping.clipGlobalNorm(ps, 1.0);
        assertEquals(expected, before, expected * 1e-12);
        assertEquals(1.0, GradientClipping.globalNorm(ps), 1e-5);
        assertArrayEquals(frozenBefore, ps.get(2).value().grad(), "frozen gradients are not clipped");
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<Parameter> ps = List.of(param("a", 100, 4, true));
        float[] before = ps.get(0).value().grad().clone();
        double norm = GradientClipping.clipGlobalNorm(ps, 1e6);
        assertEquals(referenceNorm(ps), norm, 1e-9);
        assertArrayEquals(before, ps.get(0).value().grad());
    }

    @Test
    void isDeterministic() {
        List<Parameter> a = List.of(param("a", 4099, 5, true), param("b", 3, 6, true));
        List<Parameter> b = List.of(param("a", 4099, 5, true), param("b", 3, 6, true));
        assertEquals(GradientClipping.clipGlobalNorm(a, 0.5), GradientClipping.clipGlobalNorm(b, 0.5));
        assertArrayEquals(a.get(0).value().grad(), b.get(0).value().grad());
    }

    @Test
    void aNonFiniteNormLeavesTheGradientsForTheCallerToJudge() {
        List<Parameter> ps = List.of(param("a", 10, 7, true));
        ps.get(0).value().grad()[3] = Float.NaN;
        float[] before = ps.get(0).value().grad().clone();
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(ps, 1.0)));
        assertArrayEquals(before, ps.get(0).value().grad());
    }

    @Test
    void rejectsANonPositiveMaximum() {
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(), Double.NaN));
    }
}

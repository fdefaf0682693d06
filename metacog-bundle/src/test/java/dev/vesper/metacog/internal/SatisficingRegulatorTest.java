package dev.vesper.metacog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.api.metacog.GenerationRegulator;
import dev.vesper.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Spec section 6's rule: confidence above 0.85, no error class above 0.5, and at least min_tokens. */
class SatisficingRegulatorTest {
    private static final int D = 8;

    /** A head that says {@code confidence} whatever it reads, and the error classes' logits {@code errors}. */
    private static SpecMetaHead saying(double confidence, float... errors) {
        SpecMetaHead head = SpecMetaHead.empty(D, new CpuBackend(1, false), new GeluActivation());
        head.tensor("meta.confidence.bias").set(0, (float) Math.log(confidence / (1 - confidence)));
        for (int c = 0; c < errors.length; c++) {
            head.tensor("meta.error_cls.bias").set(c, errors[c]);
        }
        return head;
    }

    @Test
    void stopsOnceConfidentWithNoLikelyErrorButNotBeforeMinTokens() {
        GenerationRegulator r = saying(0.9).regulator(3);
        float[] h = new float[D];
        assertFalse(r.shouldStop(1, 5, h));
        assertFalse(r.shouldStop(2, 5, h));
        assertTrue(r.shouldStop(3, 5, h));
    }

    @Test
    void confidenceMustExceedTheThreshold() {
        float[] h = new float[D];
        assertFalse(saying(0.84).regulator(0).shouldStop(5, 1, h));
        assertTrue(saying(0.86).regulator(0).shouldStop(5, 1, h));
    }

    @Test
    void aLikelyErrorKeepsItGoing() {
        float[] h = new float[D];
        // logits (2, 0, 0): p(factual) = e²/(e²+2) ≈ 0.79
        assertFalse(saying(0.95, 2f, 0f, 0f).regulator(0).shouldStop(5, 1, h));
        // logits (0.5, 0, 0): p(factual) ≈ 0.45
        assertTrue(saying(0.95, 0.5f, 0f, 0f).regulator(0).shouldStop(5, 1, h));
    }

    @Test
    void anUntrainedErrorClassifierSaysOneThirdEach() {
        double[] p = SpecMetaHead.create(D, 1, new CpuBackend(1, false), new GeluActivation())
                .assess(new float[] {1, -2, 3, 0, 1, 1, 0, 2}).errorProbabilities();
        for (double v : p) {
            assertEquals(1.0 / 3, v, 1e-9);
        }
    }

    @Test
    void aHiddenStateOfAnotherWidthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> saying(0.9).assess(new float[D + 1]));
        assertTrue(e.getMessage().contains("width 9") && e.getMessage().contains("d_model 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> saying(0.9).regulator(-1));
    }
}

package dev.vesper.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.SamplingOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static int[] histogram(float[] logits, SamplingOptions o, int draws) {
        Sampler s = new Sampler(logits.length);
        SplittableRandom rng = new SplittableRandom(o.seed());
        int[] h = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            h[s.pick(logits.clone(), o, rng)]++;
        }
        return h;
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        assertEquals(1, Sampler.argmax(new float[] {0f, 3f, 3f, -1f}));
        assertEquals(1, new Sampler(4).pick(new float[] {0f, 3f, 3f, -1f}, SamplingOptions.greedy(1), new SplittableRandom(1)));
    }

    @Test
    void temperatureSamplesTheSoftmax() {
        float[] logits = {0f, (float) Math.log(3), -50f};
        int[] h = histogram(logits, SamplingOptions.defaults().withTemperature(1f).withTopK(0).withTopP(1f).withSeed(3), 20_000);
        assertEquals(0.25, h[0] / 20_000.0, 0.015);
        assertEquals(0.75, h[1] / 20_000.0, 0.015);
        // a high temperature flattens: p ∝ exp(logit / 4)
        int[] flat = histogram(logits, SamplingOptions.defaults().withTemperature(4f).withTopK(0).withTopP(1f).withSeed(3), 20_000);
        double p0 = 1 / (1 + Math.pow(3, 0.25));
        assertEquals(p0, flat[0] / 20_000.0, 0.015);
    }

    @Test
    void topKAndTopPCutTheTail() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        SamplingOptions o = SamplingOptions.defaults().withTemperature(1f).withTopK(2).withTopP(1f).withSeed(5);
        int[] h = histogram(logits, o, 5_000);
        assertEquals(0, h[2] + h[3]);
        assertEquals(0.5 / 0.8, h[0] / 5_000.0, 0.03);
        int[] nucleus = histogram(logits, o.withTopK(0).withTopP(0.75f), 5_000);
        assertEquals(0, nucleus[2] + nucleus[3], "0.5 + 0.3 reaches 0.75: the rest is cut");
        assertTrue(nucleus[1] > 0);
        int[] wide = histogram(logits, o.withTopK(0).withTopP(0.9f), 5_000);
        assertTrue(wide[2] > 0 && wide[3] == 0, "0.95 needs the third token, not the fourth");
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        Sampler s = new Sampler(3);
        s.observe(0);
        float[] logits = {2f, 1.9f, -1f};
        assertEquals(1, s.pick(logits, SamplingOptions.greedy(1).withRepetitionPenalty(2f), new SplittableRandom(0)));
        assertEquals(1f, logits[0]);
        s.observe(2);
        float[] again = {2f, 1.9f, -1f};
        s.pick(again, SamplingOptions.greedy(1).withRepetitionPenalty(2f), new SplittableRandom(0));
        assertEquals(-2f, again[2]);
        s.reset();
        float[] fresh = {2f, 1.9f, -1f};
        assertEquals(0, s.pick(fresh, SamplingOptions.greedy(1).withRepetitionPenalty(2f), new SplittableRandom(0)));
    }
}

package dev.vesper.api.model;

import dev.vesper.api.metacog.GenerationRegulator;
import java.util.Arrays;

/**
 * How to pick the next token. Immutable; the {@code with} methods return modified copies.
 * Temperature 0 means greedy. Top-k 0 and top-p 1 switch those filters off. A value out of range is
 * refused with an {@code IllegalArgumentException} whose message starts with the field's name in
 * snake case ({@code temperature}, {@code top_k}, {@code top_p}, {@code repetition_penalty},
 * {@code max_tokens}), so that a command line can name its own option instead.
 */
public final class SamplingOptions {
    private final float temperature;
    private final int topK;
    private final float topP;
    private final float repetitionPenalty;
    private final int maxTokens;
    private final int[] stopTokens;
    private final long seed;
    private final GenerationRegulator regulator;

    private SamplingOptions(float temperature, int topK, float topP, float repetitionPenalty, int maxTokens,
                            int[] stopTokens, long seed, GenerationRegulator regulator) {
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + repetitionPenalty);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max_tokens must be >= 0, got " + maxTokens);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.repetitionPenalty = repetitionPenalty;
        this.maxTokens = maxTokens;
        this.stopTokens = stopTokens.clone();
        this.seed = seed;
        this.regulator = regulator;
    }

    /** Temperature 0.8, top-k 40, top-p 0.95, no repetition penalty, 200 tokens, seed 0. */
    public static SamplingOptions defaults() {
        return new SamplingOptions(0.8f, 40, 0.95f, 1.0f, 200, new int[0], 0L, null);
    }

    /** Argmax decoding. */
    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0f, 0, 1f, 1f, maxTokens, new int[0], 0L, null);
    }

    public SamplingOptions withTemperature(float t) {
        return new SamplingOptions(t, topK, topP, repetitionPenalty, maxTokens, stopTokens, seed, regulator);
    }

    public SamplingOptions withTopK(int k) {
        return new SamplingOptions(temperature, k, topP, repetitionPenalty, maxTokens, stopTokens, seed, regulator);
    }

    public SamplingOptions withTopP(float p) {
        return new SamplingOptions(temperature, topK, p, repetitionPenalty, maxTokens, stopTokens, seed, regulator);
    }

    public SamplingOptions withRepetitionPenalty(float r) {
        return new SamplingOptions(temperature, topK, topP, r, maxTokens, stopTokens, seed, regulator);
    }

    public SamplingOptions withMaxTokens(int n) {
        return new SamplingOptions(temperature, topK, topP, repetitionPenalty, n, stopTokens, seed, regulator);
    }

    public SamplingOptions withStopTokens(int... ids) {
        return new SamplingOptions(temperature, topK, topP, repetitionPenalty, maxTokens, ids, seed, regulator);
    }

    /**
     * These options, stopping at {@code endOfText} (a tokenizer's end-of-text id) unless stop tokens were
     * set; an {@code endOfText} below 0 (a tokenizer without one) leaves them as they are.
     *
     * @since 1.2
     */
    public SamplingOptions stoppingAt(int endOfText) {
        return endOfText >= 0 && stopTokens.length == 0 ? withStopTokens(endOfText) : this;
    }

    public SamplingOptions withSeed(long s) {
        return new SamplingOptions(temperature, topK, topP, repetitionPenalty, maxTokens, stopTokens, s, regulator);
    }

    /** A hook that may end generation early (see the metacognition regulator). */
    public SamplingOptions withRegulator(GenerationRegulator r) {
        return new SamplingOptions(temperature, topK, topP, repetitionPenalty, maxTokens, stopTokens, seed, r);
    }

    public float temperature() {
        return temperature;
    }

    public int topK() {
        return topK;
    }

    public float topP() {
        return topP;
    }

    public float repetitionPenalty() {
        return repetitionPenalty;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int[] stopTokens() {
        return stopTokens.clone();
    }

    public boolean isStopToken(int id) {
        for (int s : stopTokens) {
            if (s == id) {
                return true;
            }
        }
        return false;
    }

    public long seed() {
        return seed;
    }

    /** The regulator, or null. */
    public GenerationRegulator regulator() {
        return regulator;
    }

    @Override
    public String toString() {
        return "temperature=" + temperature + " top_k=" + topK + " top_p=" + topP + " repetition_penalty="
                + repetitionPenalty + " max_tokens=" + maxTokens + " stop=" + Arrays.toString(stopTokens)
                + " seed=" + seed;
    }
}

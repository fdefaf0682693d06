package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.metacog.GenerationRegulator;

/**
 * Satisficing termination (spec section 6): stop once the head's confidence exceeds 0.85 and no
 * error class is more likely than 0.5, but never before {@code minTokens} tokens.
 */
final class SatisficingRegulator implements GenerationRegulator {
    static final double CONFIDENCE = 0.85;
    static final double ERROR = 0.5;

    private final SpecMetaHead head;
    private final int minTokens;

    SatisficingRegulator(SpecMetaHead head, int minTokens) {
        if (minTokens < 0) {
            throw new IllegalArgumentException("min_tokens must be >= 0, got " + minTokens);
        }
        this.head = head;
        this.minTokens = minTokens;
    }

    @Override
    public boolean shouldStop(int generated, int token, float[] hidden) {
        return generated >= minTokens && satisfied(head.assess(hidden));
    }

    static boolean satisfied(Assessment a) {
        if (!(a.confidence() > CONFIDENCE)) {
            return false;
        }
        for (double p : a.errorProbabilities()) {
            if (p > ERROR) {
                return false;
            }
        }
        return true;
    }
}

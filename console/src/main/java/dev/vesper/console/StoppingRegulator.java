package dev.vesper.console;

import dev.vesper.api.metacog.GenerationRegulator;
import dev.vesper.api.metacog.MetaHead;

/** The meta head's regulator, remembering where it ended a generation and how confident it was there. */
final class StoppingRegulator implements GenerationRegulator {
    private final MetaHead head;
    private final GenerationRegulator regulator;
    private int stoppedAfter;
    private double confidence = Double.NaN;

    StoppingRegulator(MetaHead head, int minTokens) {
        this.head = head;
        this.regulator = head.regulator(minTokens);
    }

    @Override
    public boolean shouldStop(int generated, int token, float[] hidden) {
        boolean stop = regulator.shouldStop(generated, token, hidden);
        if (stop) {
            stoppedAfter = generated;
            confidence = head.assess(hidden).confidence();
        }
        return stop;
    }

    /** Tokens generated when it ended the text; 0 when it did not. */
    int stoppedAfter() {
        return stoppedAfter;
    }

    double confidence() {
        return confidence;
    }
}

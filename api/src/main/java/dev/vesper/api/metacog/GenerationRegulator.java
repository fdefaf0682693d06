package dev.vesper.api.metacog;

import org.osgi.annotation.versioning.ConsumerType;

/** A hook into generation that may end it early, after seeing each new token and its hidden state. */
@ConsumerType
public interface GenerationRegulator {
    /**
     * @param generated tokens generated so far, this one included
     * @param token the new token
     * @param hidden the final hidden state (after the last LayerNorm) that produced it
     * @return true to stop generating now
     */
    boolean shouldStop(int generated, int token, float[] hidden);
}

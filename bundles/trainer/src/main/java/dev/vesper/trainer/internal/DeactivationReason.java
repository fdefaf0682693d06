package dev.vesper.trainer.internal;

import org.osgi.service.component.ComponentConstants;

/**
 * What a job's end says when Declarative Services, not the user, stops it: without a word, a job ended by
 * a bundle update elsewhere reads "stopped at step N" as if someone had asked.
 */
public final class DeactivationReason {
    private DeactivationReason() {
    }

    /** The reason for a DS deactivation code, or null when Vesper is shutting down, which needs no word. */
    public static String describe(boolean shuttingDown, int reason) {
        if (shuttingDown) {
            return null;
        }
        // Felix SCR gives an unsatisfied reference as 0 (unspecified) when its provider is updated, not as
        // DEACTIVATION_REASON_REFERENCE, so only the trainer's own bundle can be told apart
        String why = reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED
                ? "the trainer's bundle stopped or was updated"
                : "the trainer stopped, as a bundle it uses was stopped, updated or refreshed";
        return why + "; --resume goes on from the checkpoint";
    }
}

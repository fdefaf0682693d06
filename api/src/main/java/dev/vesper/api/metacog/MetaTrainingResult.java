package dev.vesper.api.metacog;

/**
 * A meta head's training: its scores on held-out data before and after, and what it took.
 *
 * @param heldOut where the scores come from: the data's validation split, or the training data
 *     itself when it has too little to split off
 * @param errors the error classes' training on labelled texts; null when none were given
 *     (since 1.2; a record pattern that takes the record apart names this component too)
 * @since 1.1
 */
public record MetaTrainingResult(MetaScores before, MetaScores after, int steps, long tokens, double seconds,
                                 String heldOut, ErrorTraining errors) {

    /** A training without labelled texts, whose error classes stayed as they were. */
    public MetaTrainingResult(MetaScores before, MetaScores after, int steps, long tokens, double seconds,
                              String heldOut) {
        this(before, after, steps, tokens, seconds, heldOut, null);
    }
}

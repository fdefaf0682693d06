package dev.vesper.api.metacog;

/**
 * The error classes' part of a meta head's training, when it was given labelled texts.
 *
 * @param labels the file of labelled texts, as it was named
 * @param trainingTexts texts the head trained on
 * @param heldOutTexts texts held out to score on: a tenth of each label's texts, drawn by the training's
 *     seed; 0 when there were too few to hold some out, and the scores come from the training texts
 * @param before scores before training
 * @param after the same scores with the error weights that were kept
 * @param keptStep the step whose error weights the head kept: the one whose weights read the held-out
 *     texts best (0 when no step did better than the untrained head), or the last step when none are
 *     held out. The held-out texts chose it, so {@code after} flatters the head somewhat
 * @since 1.2
 */
public record ErrorTraining(String labels, int trainingTexts, int heldOutTexts, ErrorScores before,
                            ErrorScores after, int keptStep) {
}

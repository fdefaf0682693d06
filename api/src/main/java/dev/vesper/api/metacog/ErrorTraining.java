package dev.vesper.api.metacog;

/**
 * The error classes' part of a meta head's training, when it was given labelled texts.
 *
 * @param labels the file of labelled texts
 * @param trainingTexts texts the head trained on
 * @param before scores on the held-out texts before training
 * @param after the same scores after
 * @param heldOut where the scores come from: a tenth of the texts, drawn by the training's seed,
 *     or the training texts themselves when there are too few to hold some out
 * @since 1.2
 */
public record ErrorTraining(String labels, int trainingTexts, ErrorScores before, ErrorScores after,
                            String heldOut) {
}

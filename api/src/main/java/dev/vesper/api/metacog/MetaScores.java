package dev.vesper.api.metacog;

/**
 * How well a meta head reads a model over some positions: the losses it trains on, and whether its
 * confidence is calibrated against how often the model's most likely next token is the right one.
 *
 * @param positions positions scored
 * @param confidenceLoss mean binary cross-entropy of confidence against "the model's top token is right"
 * @param terminateLoss mean binary cross-entropy of terminate against "the next token ends the text"
 * @param meanConfidence mean confidence
 * @param accuracy how often the model's most likely next token was the right one
 * @param calibrationError expected calibration error of confidence over ten equal-width bins
 * @param endPositions positions whose next token ends the text (the tokenizer's end-of-text)
 * @param terminateAtEnd mean terminate at those positions; NaN when there are none
 * @param terminateElsewhere mean terminate at the other positions
 * @since 1.1
 */
public record MetaScores(long positions, double confidenceLoss, double terminateLoss, double meanConfidence,
                         double accuracy, double calibrationError, long endPositions, double terminateAtEnd,
                         double terminateElsewhere) {
}

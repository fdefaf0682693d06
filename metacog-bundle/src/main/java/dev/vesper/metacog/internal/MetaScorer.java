package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.MetaScores;

/** Sums a meta head's outputs against what happened, position by position, into {@link MetaScores}. */
final class MetaScorer {
    private static final int BINS = 10;

    private long positions;
    private double confidenceLoss;
    private double terminateLoss;
    private double confidenceSum;
    private double rightSum;
    private final long[] binCount = new long[BINS];
    private final double[] binConfidence = new double[BINS];
    private final double[] binRight = new double[BINS];
    private long endPositions;
    private double terminateAtEnd;
    private double terminateElsewhere;

    /** Adds the counted rows of a batch that {@code pass} has just run forward on. */
    void add(MetaPass pass, HiddenBatch batch) {
        for (int r = 0; r < pass.rows(); r++) {
            if (!batch.counted[r]) {
                continue;
            }
            double zc = pass.confidenceLogit(r);
            double zt = pass.terminateLogit(r);
            double right = batch.topTokenRight[r];
            double end = batch.endsText[r];
            double confidence = Logistic.sigmoid(zc);
            double terminate = Logistic.sigmoid(zt);
            positions++;
            confidenceLoss += Logistic.crossEntropy(zc, right);
            terminateLoss += Logistic.crossEntropy(zt, end);
            confidenceSum += confidence;
            rightSum += right;
            int bin = Math.min(BINS - 1, (int) (confidence * BINS));
            binCount[bin]++;
            binConfidence[bin] += confidence;
            binRight[bin] += right;
            if (end > 0) {
                endPositions++;
                terminateAtEnd += terminate;
            } else {
                terminateElsewhere += terminate;
            }
        }
    }

    MetaScores scores() {
        double n = Math.max(1, positions);
        double calibration = 0;
        for (int b = 0; b < BINS; b++) {
            if (binCount[b] > 0) {
                calibration += Math.abs(binRight[b] - binConfidence[b]) / n;
            }
        }
        long elsewhere = positions - endPositions;
        return new MetaScores(positions, confidenceLoss / n, terminateLoss / n, confidenceSum / n, rightSum / n,
                calibration, endPositions, endPositions == 0 ? Double.NaN : terminateAtEnd / endPositions,
                elsewhere == 0 ? Double.NaN : terminateElsewhere / elsewhere);
    }
}

package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.Assessment;

/**
 * The error classes' loss against a label. A text with an error asks for probability 1 on its class;
 * a text labelled {@code none} for 1/3 on each, the reading under which no class passes the
 * regulator's 0.5. The loss is the divergence from that target (cross-entropy less the target's own
 * entropy), so that a perfect reading scores 0 for either kind of label; its derivative in the
 * logits is {@code p − target}, as for the cross-entropy.
 */
final class ErrorLoss {
    static final int CLASSES = Assessment.ERROR_CLASSES.length;

    private ErrorLoss() {
    }

    static double target(int label, int c) {
        return label == LabelledTexts.CLEAN ? 1.0 / CLASSES : label == c ? 1 : 0;
    }

    /** {@code Σ t·log(t/p)} over the classes the target gives weight to. */
    static double divergence(double[] p, int label) {
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            double t = target(label, c);
            if (t > 0) {
                sum += t * Math.log(t / Math.max(p[c], Double.MIN_NORMAL));
            }
        }
        return sum;
    }

    /** The regulator's 0.5 rule reads the text as labelled: its class above 0.5, or, when clean, none above. */
    static boolean agrees(double[] p, int label) {
        if (label != LabelledTexts.CLEAN) {
            return p[label] > 0.5;
        }
        for (double v : p) {
            if (v > 0.5) {
                return false;
            }
        }
        return true;
    }
}

package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.ErrorScores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The error classes' share of a meta head's training: batches of labelled texts' final hidden states,
 * and the loss against their labels. A text with an error is trained towards probability 1 on its
 * class; a text labelled {@code none} towards 1/3 on each, the reading under which no class passes the
 * regulator's 0.5. The loss is the divergence from that target (cross-entropy less its entropy), so
 * that a perfect reading scores 0 for either kind of label.
 */
final class ErrorClassTraining {
    /** Labelled texts per step (fewer when there are fewer). */
    static final int BATCH = 32;
    /** Below this many texts none are held out, and the scores come from the training texts. */
    static final int MIN_TO_HOLD_OUT = 10;
    private static final int CLASSES = LabelledTexts.CLEAN;

    private final float[] states;
    private final int[] labels;
    private final int width;
    private final List<Integer> training = new ArrayList<>();
    private final List<Integer> heldOut = new ArrayList<>();
    private final MetaPass pass;
    private final Random order;
    private final float[] batchStates;
    private final float[] dErrors;
    private int next;

    /** Holds out a tenth of the texts, drawn by {@code seed}, when there are at least {@link #MIN_TO_HOLD_OUT}. */
    ErrorClassTraining(SpecMetaHead head, float[] states, int[] labels, long seed) {
        this.states = states;
        this.labels = labels;
        this.width = head.dModel();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            all.add(i);
        }
        this.order = new Random(seed);
        Collections.shuffle(all, order);
        int held = labels.length >= MIN_TO_HOLD_OUT ? Math.max(1, labels.length / 10) : 0;
        heldOut.addAll(all.subList(0, held));
        training.addAll(all.subList(held, all.size()));
        int capacity = Math.max(BATCH, labels.length);
        this.pass = new MetaPass(head, capacity);
        this.batchStates = new float[capacity * width];
        this.dErrors = new float[capacity * CLASSES];
    }

    int trainingTexts() {
        return training.size();
    }

    boolean holdsOut() {
        return !heldOut.isEmpty();
    }

    /** Adds the gradients of the loss on the next batch of training texts to the head's; returns that loss. */
    double step() {
        List<Integer> batch = nextBatch();
        load(batch);
        double loss = 0;
        double[] p = new double[CLASSES];
        for (int r = 0; r < batch.size(); r++) {
            probabilities(r, p);
            int label = labels[batch.get(r)];
            loss += divergence(p, label);
            for (int j = 0; j < CLASSES; j++) {
                dErrors[r * CLASSES + j] = (float) ((p[j] - target(label, j)) / batch.size());
            }
        }
        pass.backward(MetaPass.matrix(batchStates, batch.size(), width), null, null, dErrors);
        return loss / batch.size();
    }

    /** Scores on the held-out texts, or on the training texts when none are held out. */
    ErrorScores score() {
        List<Integer> texts = holdsOut() ? heldOut : training;
        load(texts);
        double loss = 0;
        int agreed = 0;
        double[] p = new double[CLASSES];
        for (int r = 0; r < texts.size(); r++) {
            probabilities(r, p);
            int label = labels[texts.get(r)];
            loss += divergence(p, label);
            agreed += agrees(p, label) ? 1 : 0;
        }
        return new ErrorScores(texts.size(), loss / texts.size(), (double) agreed / texts.size());
    }

    /** The regulator's 0.5 rule reads the text as labelled: its class above 0.5, or, when clean, none above. */
    static boolean agrees(double[] p, int label) {
        if (label < CLASSES) {
            return p[label] > 0.5;
        }
        for (double v : p) {
            if (v > 0.5) {
                return false;
            }
        }
        return true;
    }

    static double target(int label, int c) {
        return label == CLASSES ? 1.0 / CLASSES : label == c ? 1 : 0;
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

    private List<Integer> nextBatch() {
        int size = Math.min(BATCH, training.size());
        List<Integer> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (next == training.size()) {
                Collections.shuffle(training, order);
                next = 0;
            }
            batch.add(training.get(next++));
        }
        return batch;
    }

    private void load(List<Integer> texts) {
        for (int r = 0; r < texts.size(); r++) {
            System.arraycopy(states, texts.get(r) * width, batchStates, r * width, width);
        }
        pass.forward(MetaPass.matrix(batchStates, texts.size(), width));
    }

    private void probabilities(int row, double[] p) {
        double[] errors = pass.assessment(row).errorProbabilities();
        System.arraycopy(errors, 0, p, 0, CLASSES);
    }
}

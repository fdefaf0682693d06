package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.ErrorScores;
import dev.vesper.api.tensor.Parameter;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The error classes' share of a meta head's training: batches of labelled texts' final hidden states,
 * the {@link ErrorLoss} against their labels, and early stopping. A labelled set is small, and the
 * head soon fits its training texts at the cost of the others; so after every step the held-out
 * texts are scored, and the error weights of the step that read them best are the ones kept.
 */
final class ErrorClassTraining {
    /** Labelled texts per step (all of them when there are fewer). */
    static final int BATCH = 32;
    private static final int CLASSES = ErrorLoss.CLASSES;

    private final float[] states;
    private final int[] labels;
    private final int width;
    private final HeldOutSplit split;
    private final MetaPass pass;
    private final Random order;
    private final float[] batchStates;
    private final float[] dErrors;
    private final BestWeights best;
    private int next;

    ErrorClassTraining(SpecMetaHead head, float[] states, int[] labels, long seed) {
        this.states = states;
        this.labels = labels;
        this.width = head.dModel();
        this.order = new Random(seed);
        this.split = new HeldOutSplit(labels, CLASSES + 1, order);
        int capacity = Math.max(BATCH, labels.length);
        this.pass = new MetaPass(head, capacity);
        this.batchStates = new float[capacity * width];
        this.dErrors = new float[capacity * CLASSES];
        this.next = split.training.size();   // shuffles before the first batch
        List<Parameter> errorWeights = head.parameters().stream()
                .filter(p -> p.name().startsWith(SpecMetaHead.ERROR_PROJ) || p.name().startsWith(SpecMetaHead.ERROR_CLS))
                .toList();
        this.best = new BestWeights(errorWeights);
        if (holdsOut()) {
            best.offer(0, score().loss());
        }
    }

    int trainingTexts() {
        return split.training.size();
    }

    int heldOutTexts() {
        return split.heldOut.size();
    }

    boolean holdsOut() {
        return !split.heldOut.isEmpty();
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
            loss += ErrorLoss.divergence(p, label);
            for (int c = 0; c < CLASSES; c++) {
                dErrors[r * CLASSES + c] = (float) ((p[c] - ErrorLoss.target(label, c)) / batch.size());
            }
        }
        pass.backward(MetaPass.matrix(batchStates, batch.size(), width), null, null, dErrors);
        return loss / batch.size();
    }

    /** Told after the optimizer has taken step {@code step}: keeps the error weights if they read the held-out texts best yet. */
    void stepped(int step) {
        if (holdsOut()) {
            best.offer(step, score().loss());
        }
    }

    /**
     * Puts back the error weights of the step that read the held-out texts best, and returns that step
     * (0: none did better than the untrained head); without held-out texts, keeps the last step's.
     */
    int keepBest(int lastStep) {
        return holdsOut() ? best.restore() : lastStep;
    }

    /** Scores on the held-out texts, or on the training texts when none are held out. */
    ErrorScores score() {
        List<Integer> texts = holdsOut() ? split.heldOut : split.training;
        load(texts);
        double loss = 0;
        int agreed = 0;
        double[] p = new double[CLASSES];
        for (int r = 0; r < texts.size(); r++) {
            probabilities(r, p);
            loss += ErrorLoss.divergence(p, labels[texts.get(r)]);
            agreed += ErrorLoss.agrees(p, labels[texts.get(r)]) ? 1 : 0;
        }
        return new ErrorScores(texts.size(), loss / texts.size(), (double) agreed / texts.size());
    }

    /** The next batch of an epoch; a new epoch, shuffled, when this one has too few texts left, so no batch repeats a text. */
    private List<Integer> nextBatch() {
        List<Integer> training = split.training;
        int size = Math.min(BATCH, training.size());
        if (next + size > training.size()) {
            Collections.shuffle(training, order);
            next = 0;
        }
        next += size;
        return training.subList(next - size, next);
    }

    private void load(List<Integer> texts) {
        for (int r = 0; r < texts.size(); r++) {
            System.arraycopy(states, texts.get(r) * width, batchStates, r * width, width);
        }
        pass.forward(MetaPass.matrix(batchStates, texts.size(), width));
    }

    private void probabilities(int row, double[] p) {
        System.arraycopy(pass.assessment(row).errorProbabilities(), 0, p, 0, CLASSES);
    }
}

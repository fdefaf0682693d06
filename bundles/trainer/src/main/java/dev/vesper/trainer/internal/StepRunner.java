package dev.vesper.trainer.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;

/**
 * Forward and backward over the micro-batches of one optimizer step, leaving the gradient of the
 * step's mean loss in the trainable parameters.
 *
 * <p>Each micro-batch's loss is weighted by its share of the counted target positions, so that K
 * micro-batches accumulate exactly the gradient of the mean loss over all of them (the same as one
 * batch K times as large, up to summation order).
 */
public final class StepRunner {
    /** Targets with this id count for nothing (spec section 2). */
    public static final int IGNORE = -100;

    /** Where the micro-batches come from: a {@code BatchSampler}, or a test's fixed batches. */
    @FunctionalInterface
    public interface BatchSource {
        void next(int[] inputs, int[] targets);
    }

    /** The mean loss and entropy of a step, over every counted position of its micro-batches. */
    public record Result(double loss, double entropy, long counted) {
    }

    private final Autograd autograd;
    private final int batch;
    private final int seq;
    private final int micro;
    private final int[][] inputs;
    private final int[][] targets;

    public StepRunner(Autograd autograd, int batch, int seq, int micro) {
        if (batch <= 0 || seq <= 0 || micro <= 0) {
            throw new IllegalArgumentException("batch, seq and accumulate must be > 0, got " + batch + ", " + seq
                    + ", " + micro);
        }
        this.autograd = autograd;
        this.batch = batch;
        this.seq = seq;
        this.micro = micro;
        this.inputs = new int[micro][batch * seq];
        this.targets = new int[micro][batch * seq];
    }

    public int tokensPerStep() {
        return batch * seq * micro;
    }

    /** Zeroes the gradients, then runs forward and backward over {@code micro} batches from {@code source}. */
    public Result run(LanguageModel model, BatchSource source, long dropoutSeed) {
        List<Parameter> trainable = model.trainableParameters();
        zeroGrads(trainable);
        long total = 0;
        long[] counted = new long[micro];
        for (int k = 0; k < micro; k++) {
            source.next(inputs[k], targets[k]);
            counted[k] = countTargets(targets[k]);
            total += counted[k];
        }
        if (total == 0) {
            throw new IllegalStateException("every target of the step is ignored: nothing to learn from");
        }
        double loss = 0;
        double entropy = 0;
        for (int k = 0; k < micro; k++) {
            if (counted[k] == 0) {
                continue;
            }
            float weight = (float) ((double) counted[k] / total);
            try (Graph g = autograd.record(Seeds.mix(dropoutSeed, k))) {
                Tensor logits = model.forward(g, IntTensor.wrap(inputs[k], batch, seq));
                CrossEntropy ce = g.crossEntropy(logits, IntTensor.wrap(targets[k], batch, seq), IGNORE);
                Tensor objective = micro == 1 ? ce.loss() : g.scale(ce.loss(), weight);
                g.backward(objective);
                loss += (double) ce.lossValue() * counted[k] / total;
                entropy += ce.entropy() * counted[k] / total;
            }
        }
        return new Result(loss, entropy, total);
    }

    static void zeroGrads(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.value().zeroGrad();
        }
    }

    private static long countTargets(int[] t) {
        long n = 0;
        for (int id : t) {
            if (id != IGNORE) {
                n++;
            }
        }
        return n;
    }
}

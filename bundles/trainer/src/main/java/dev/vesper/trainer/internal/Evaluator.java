package dev.vesper.trainer.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.IntTensor;

/**
 * Validation loss over a fixed set of batches: the sampler is rewound before every evaluation, so
 * that evaluations of one run compare like with like.
 */
public final class Evaluator {
    /** Mean loss and the number of target positions it covers. */
    public record Result(double loss, long tokens) {
        public double perplexity() {
            return Math.exp(loss);
        }
    }

    private final Autograd autograd;
    private final BatchSampler sampler;
    private final int batches;
    private final int[] inputs;
    private final int[] targets;

    private final boolean spread;

    public Evaluator(Autograd autograd, BatchSampler sampler, int batches) {
        this(autograd, sampler, batches, false);
    }

    /**
     * With {@code spread}, the batches are taken evenly from one pass of the sampler instead of from
     * its start: a sample of a long in-order pass that sees all of the data's parts.
     */
    public Evaluator(Autograd autograd, BatchSampler sampler, int batches, boolean spread) {
        if (batches <= 0) {
            throw new IllegalArgumentException("eval batches must be > 0, got " + batches);
        }
        this.autograd = autograd;
        this.sampler = sampler;
        this.batches = batches;
        this.spread = spread;
        this.inputs = new int[sampler.batch() * sampler.seq()];
        this.targets = new int[inputs.length];
    }

    public Result evaluate(LanguageModel model) {
        sampler.seek(0);
        double sum = 0;
        long counted = 0;
        long pass = sampler.batchesPerEpoch();
        for (int b = 0; b < batches; b++) {
            if (spread) {
                sampler.seek(b * pass / batches);
            }
            sampler.next(inputs, targets);
            try (Graph g = autograd.noGrad()) {
                var logits = model.forward(g, IntTensor.wrap(inputs, sampler.batch(), sampler.seq()));
                CrossEntropy ce = g.crossEntropy(logits, IntTensor.wrap(targets, sampler.batch(), sampler.seq()),
                        StepRunner.IGNORE);
                sum += (double) ce.lossValue() * ce.counted();
                counted += ce.counted();
            }
        }
        return new Result(counted == 0 ? Double.NaN : sum / counted, counted);
    }
}

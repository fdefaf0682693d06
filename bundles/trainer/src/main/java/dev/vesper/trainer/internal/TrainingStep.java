package dev.vesper.trainer.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optim.support.GradientClipping;
import java.util.List;

/**
 * One whole training step, as the job runs it and the benchmark times it: forward and backward over
 * the micro-batches, global gradient-norm clipping, then the optimizer step and the model's
 * after-step work. A non-finite loss or gradient norm leaves the weights alone (the step is skipped).
 */
public final class TrainingStep {
    /** What the step did; {@code stats} is {@link StepStats#NONE} when it was skipped. */
    public record Outcome(StepRunner.Result result, double gradNorm, boolean stepped, StepStats stats) {
    }

    private final StepRunner runner;
    private final double clipNorm;

    public TrainingStep(Autograd autograd, int batch, int seq, int micro, double clipNorm) {
        this.runner = new StepRunner(autograd, batch, seq, micro);
        this.clipNorm = clipNorm;
    }

    public int tokensPerStep() {
        return runner.tokensPerStep();
    }

    public Outcome run(LanguageModel model, Optimizer optimizer, StepRunner.BatchSource source, long dropoutSeed,
                       double learningRate) {
        StepRunner.Result r = runner.run(model, source, dropoutSeed);
        List<Parameter> trainable = model.trainableParameters();
        double norm = clipNorm > 0 ? GradientClipping.clipGlobalNorm(trainable, clipNorm)
                : GradientClipping.globalNorm(trainable);
        if (!Double.isFinite(r.loss()) || !Double.isFinite(norm)) {
            StepRunner.zeroGrads(trainable);
            model.afterSkippedStep();
            return new Outcome(r, norm, false, StepStats.NONE);
        }
        optimizer.step(new StepContext(learningRate, r.loss(), r.entropy()));
        model.afterStep();
        return new Outcome(r, norm, true, optimizer.lastStats());
    }
}

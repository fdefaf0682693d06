package dev.vesper.optimizer.velvet.internal;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optim.support.AdamEngine;
import dev.vesper.optim.support.AdamSettings;
import dev.vesper.optim.support.RunningMeans;
import java.util.List;
import java.util.Map;

/**
 * Velvet (spec section 5): the AdamW update with three switchable features, driven by the batch mean
 * loss {@code L_t} and predictive entropy {@code H_t} of each step's context.
 *
 * <ul>
 *   <li>{@code entropy_adaptive}: {@code lr_t = lr · clamp(sqrt(H̄/H_t), 0.5, 2)}; the decoupled
 *       decay uses {@code lr_t} too ({@code p·(1 − lr_t·wd)}).</li>
 *   <li>{@code perplexity_guided}: {@code β1_t = β1 − (β1 − β1_min)·ρ_t}, and bias correction divides
 *       by {@code 1 − c_t} with {@code c_t} the running product of the β1 applied.</li>
 *   <li>{@code sparse_aware}: elements with {@code |g| ≤ τ} are skipped entirely.</li>
 * </ul>
 * {@code H̄} and {@code L̄} are the running means before this step, initialised at the first values
 * (so step 1 is unadjusted). With all three off the arithmetic is AdamW's, call for call, in the same
 * shared engine: the parameters are bit-identical.
 *
 * <p>State: AdamW states import as they are. An AdamW state at step t carries {@code c_t = β1^t}
 * (the product AdamW accumulated), which is the correction its moments need; Velvet continues the
 * product from there with its own {@code β1_t}, so turning {@code perplexity_guided} on mid-run keeps
 * the moments correctly de-biased. The running means come along too (AdamW keeps them); a state
 * without them lets them initialise at the next step, which makes that step unadjusted.
 */
final class Velvet implements Optimizer {
    private final AdamSettings settings;
    private final VelvetFeatures features;
    private final double beta1Min;
    private final double tau;
    private final AdamEngine engine;

    Velvet(List<Parameter> parameters, AdamSettings settings, VelvetFeatures features, double beta1Min, double tau) {
        this.settings = settings;
        this.features = features;
        this.beta1Min = beta1Min;
        this.tau = tau;
        this.engine = new AdamEngine(parameters, settings);
    }

    @Override
    public String name() {
        return VelvetFactory.NAME;
    }

    @Override
    public void step(StepContext context) {
        double lr = settings.learningRate(context);
        double loss = context.loss();
        double entropy = context.entropy();
        RunningMeans means = engine.means();
        means.prime(loss, entropy);
        double lrT = lr;
        double beta1T = settings.beta1();
        if (means.initialised()) {
            if (features.entropyAdaptive) {
                lrT = lr * VelvetRules.entropyFactor(means.entropy(), entropy);
            }
            if (features.perplexityGuided) {
                beta1T = VelvetRules.beta1(settings.beta1(), beta1Min, VelvetRules.rho(means.loss(), loss));
            }
        }
        engine.update(lrT, beta1T, features.sparseAware, tau);
        means.update(loss, entropy);
    }

    @Override
    public StepStats lastStats() {
        return engine.lastStats();
    }

    @Override
    public OptimizerState exportState() {
        Map<String, Object> hyper = settings.describe();
        hyper.put(VelvetFactory.BETA1_MIN, beta1Min);
        hyper.put(VelvetFactory.EMA, settings.ema());
        hyper.put(VelvetFactory.SPARSE_TAU, tau);
        hyper.put(VelvetFeatures.ENTROPY_ADAPTIVE, features.entropyAdaptive);
        hyper.put(VelvetFeatures.PERPLEXITY_GUIDED, features.perplexityGuided);
        hyper.put(VelvetFeatures.SPARSE_AWARE, features.sparseAware);
        return engine.exportState(VelvetFactory.NAME, hyper);
    }

    @Override
    public void importState(OptimizerState state) {
        engine.importState(VelvetFactory.NAME, state);
    }

    @Override
    public String toString() {
        return "velvet" + features + settings;
    }
}

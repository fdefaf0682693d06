package dev.vesper.optimizer.adamw.internal;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optim.support.AdamEngine;
import dev.vesper.optim.support.AdamSettings;
import java.util.List;

/**
 * AdamW as spec section 5 and {@code torch.optim.AdamW} define it, with bias correction
 * {@code 1 − c_t} where {@code c_t} is the running product of β1 (that is {@code β1^t}; see
 * {@link AdamEngine}). It also keeps the running means of loss and entropy that Velvet uses, so that
 * a switch to Velvet mid-run continues smoothly.
 *
 * <p>State import takes AdamW and Velvet states alike. From a Velvet state it takes the moments, the
 * step, Velvet's {@code c_t} (which may hold β1 values below this β1; continuing the product keeps
 * the correction consistent with the moments) and the running means.
 */
final class AdamW implements Optimizer {
    private final AdamSettings settings;
    private final AdamEngine engine;

    AdamW(List<Parameter> parameters, AdamSettings settings) {
        this.settings = settings;
        this.engine = new AdamEngine(parameters, settings);
    }

    @Override
    public String name() {
        return AdamWFactory.NAME;
    }

    @Override
    public void step(StepContext context) {
        double lr = settings.learningRate(context);
        engine.means().prime(context.loss(), context.entropy());
        engine.update(lr, settings.beta1(), false, 0);
        engine.means().update(context.loss(), context.entropy());
    }

    @Override
    public StepStats lastStats() {
        return engine.lastStats();
    }

    @Override
    public OptimizerState exportState() {
        return engine.exportState(AdamWFactory.NAME, settings.describe());
    }

    @Override
    public void importState(OptimizerState state) {
        engine.importState(AdamWFactory.NAME, state);
    }

    @Override
    public String toString() {
        return "adamw" + settings;
    }
}

package dev.vesper.optimizer.velvet.internal;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optim.support.AdamSettings;
import dev.vesper.optim.support.OptionReader;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code velvet} optimizer service. Options: those of AdamW ({@code lr}, {@code beta1},
 * {@code beta2}, {@code eps}, {@code weight_decay}, {@code decay}, {@code threads}), plus
 * {@code beta1_min} (0.8, in [0, beta1]), {@code ema} (0.98, in [0, 1)), {@code sparse_tau} (0; also
 * accepted as {@code tau}, the golden files' name) and the feature switches
 * {@code entropy_adaptive}, {@code perplexity_guided}, {@code sparse_aware} or a {@code features}
 * list (see {@link VelvetFeatures}; all three are on by default).
 */
@Component(service = OptimizerFactory.class, property = OptimizerFactory.PROPERTY + "=" + VelvetFactory.NAME)
public final class VelvetFactory implements OptimizerFactory {
    static final String NAME = "velvet";
    static final String BETA1_MIN = "beta1_min";
    static final String EMA = "ema";
    static final String SPARSE_TAU = "sparse_tau";
    static final String TAU = "tau";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        OptionReader reader = new OptionReader(NAME, options);
        AdamSettings settings = AdamSettings.read(reader);
        // capped at beta1: below it, the spec's formula would raise the momentum on a spike (docs/SPEC-NOTES.md)
        double beta1Min = reader.range(BETA1_MIN, Math.min(0.8, settings.beta1()), 0, settings.beta1(), true);
        settings = settings.withEma(reader.range(EMA, AdamSettings.DEFAULT_EMA, 0, 1, false));
        if (reader.has(SPARSE_TAU) && reader.has(TAU)) {
            throw reader.bad(TAU, "give either '" + SPARSE_TAU + "' or its alias '" + TAU + "', not both");
        }
        double tau = reader.has(TAU) ? reader.nonNegative(TAU, 0) : reader.nonNegative(SPARSE_TAU, 0);
        VelvetFeatures features = VelvetFeatures.read(reader);
        reader.rejectUnknown();
        return new Velvet(parameters, settings, features, beta1Min, tau);
    }
}

package dev.vesper.optimizer.adamw.internal;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optim.support.AdamSettings;
import dev.vesper.optim.support.OptionReader;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code adamw} optimizer service. Options: {@code lr} (3e-4; used when the trainer's step
 * context carries no rate), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-8),
 * {@code weight_decay} (0.01), {@code decay} ({@code matrices}, {@code all}, {@code none} or name
 * globs) and {@code threads}. Numbers may be given as text; anything else is rejected by name.
 */
@Component(service = OptimizerFactory.class, property = OptimizerFactory.PROPERTY + "=" + AdamWFactory.NAME)
public final class AdamWFactory implements OptimizerFactory {
    static final String NAME = "adamw";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        OptionReader reader = new OptionReader(NAME, options);
        AdamSettings settings = AdamSettings.read(reader);
        reader.rejectUnknown();
        return new AdamW(parameters, settings);
    }
}

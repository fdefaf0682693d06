package dev.vesper.examples.lion.internal;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code lion} optimizer service. The {@link OptimizerFactory#PROPERTY} service property is
 * what {@code vesper:optimizers} lists and what a training job looks up by name, at start and at
 * every {@code vesper:use optimizer lion}. Options: see {@link LionSettings}.
 */
@Component(service = OptimizerFactory.class, property = OptimizerFactory.PROPERTY + "=" + LionSettings.NAME)
public final class LionFactory implements OptimizerFactory {

    @Override
    public String name() {
        return LionSettings.NAME;
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        return new Lion(parameters, LionSettings.read(options));
    }
}

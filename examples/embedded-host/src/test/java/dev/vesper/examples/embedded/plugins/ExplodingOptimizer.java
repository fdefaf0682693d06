package dev.vesper.examples.embedded.plugins;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;

/** A plug-in whose component cannot be created: its constructor throws, so every getService gives null. */
public final class ExplodingOptimizer implements OptimizerFactory {
    public ExplodingOptimizer() {
        throw new IllegalStateException("constructor blew up on purpose");
    }

    @Override
    public String name() {
        return "exploding";
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        throw new UnsupportedOperationException("never created");
    }
}

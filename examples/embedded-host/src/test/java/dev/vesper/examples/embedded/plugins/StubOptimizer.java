package dev.vesper.examples.embedded.plugins;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;

/** A component that can be created: usable or not only by how its bundle gets the API. */
public final class StubOptimizer implements OptimizerFactory {
    @Override
    public String name() {
        return "stub";
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        throw new UnsupportedOperationException("the tests list it, they do not train with it");
    }
}

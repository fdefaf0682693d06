package dev.vesper.itests.plugins;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;

/** A plug-in that works, packed in a bundle that embeds its own copy of the API instead of importing it. */
public final class OwnCopyOptimizer implements OptimizerFactory {
    @Override
    public String name() {
        return "own-copy";
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        throw new UnsupportedOperationException("no one who imports the API can get here");
    }
}

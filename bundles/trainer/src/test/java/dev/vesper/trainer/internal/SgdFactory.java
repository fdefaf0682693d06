package dev.vesper.trainer.internal;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;

/**
 * A third-party optimizer as a user might drop into deploy/: plain SGD, with no moments, which
 * cannot take an Adam state. It shows the trainer's handling of an incompatible switch.
 */
final class SgdFactory implements OptimizerFactory {
    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
        return new Optimizer() {
            private long step;
            private double lr;

            @Override
            public String name() {
                return "sgd";
            }

            @Override
            public void step(StepContext context) {
                lr = context.learningRate();
                for (Parameter p : parameters) {
                    if (p.trainable() && p.value().hasGrad()) {
                        float[] w = p.value().data();
                        float[] g = p.value().grad();
                        int o = p.value().offset();
                        for (int i = 0; i < p.value().size(); i++) {
                            w[o + i] -= (float) (lr * g[i]);
                        }
                    }
                }
                step++;
            }

            @Override
            public StepStats lastStats() {
                return new StepStats(step, lr, 0, 0);
            }

            @Override
            public OptimizerState exportState() {
                return new OptimizerState("sgd", step, Map.of(), Map.of());
            }

            @Override
            public void importState(OptimizerState state) {
                if (!state.optimizer().equals("sgd")) {
                    throw new IncompatibleStateException("sgd cannot import the moments of '" + state.optimizer() + "'");
                }
                step = state.step();
            }
        };
    }
}

package dev.vesper.api.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's exportable state: tensors named {@code {param}.exp_avg}, {@code {param}.exp_avg_sq}
 * and so on (spec section 7), the step count, and string metadata for running values and
 * hyperparameters. Checkpoints store it as SafeTensors.
 */
public final class OptimizerState {
    private final String optimizer;
    private final long step;
    private final Map<String, float[]> tensors;
    private final Map<String, String> metadata;

    public OptimizerState(String optimizer, long step, Map<String, float[]> tensors, Map<String, String> metadata) {
        this.optimizer = optimizer;
        this.step = step;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The name of the optimizer that exported it. */
    public String optimizer() {
        return optimizer;
    }

    public long step() {
        return step;
    }

    public Map<String, float[]> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}

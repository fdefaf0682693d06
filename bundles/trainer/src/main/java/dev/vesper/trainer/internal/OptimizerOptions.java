package dev.vesper.trainer.internal;

import dev.vesper.api.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options handed to an optimizer factory: the run's learning rate, plus the configured options.
 * A different optimizer swapped in mid-run gets only the hyperparameters every Adam-family
 * optimizer knows, since the run's own options (such as Velvet's switches) may be unknown to it.
 */
public final class OptimizerOptions {
    static final List<String> COMMON = List.of("beta1", "beta2", "eps", "weight_decay");

    private OptimizerOptions() {
    }

    public static Map<String, Object> forName(TrainingConfig config, String name) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (name.equals(config.optimizer())) {
            options.putAll(config.optimizerOptions());
        } else {
            for (String k : COMMON) {
                if (config.optimizerOptions().containsKey(k)) {
                    options.put(k, config.optimizerOptions().get(k));
                }
            }
        }
        options.put("lr", config.learningRate());
        return options;
    }
}

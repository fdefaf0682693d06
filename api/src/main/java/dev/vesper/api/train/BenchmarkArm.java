package dev.vesper.api.train;

import java.util.Map;

/** One contestant of an {@link OptimizerBenchmark}: a label, an optimizer name and its options. */
public final class BenchmarkArm {
    private final String label;
    private final String optimizer;
    private final Map<String, Object> options;

    public BenchmarkArm(String label, String optimizer, Map<String, Object> options) {
        this.label = label;
        this.optimizer = optimizer;
        this.options = Map.copyOf(options);
    }

    public String label() { return label; }

    public String optimizer() { return optimizer; }

    public Map<String, Object> options() { return options; }
}

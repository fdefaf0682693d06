package dev.vesper.api.train;

import java.nio.file.Path;
import java.util.List;

/** What an {@link OptimizerBenchmark} measured, with the chart and JSON it wrote. */
public final class BenchmarkResult {
    /** One arm's figures. NaN where a figure could not be measured. */
    public record Row(String label, String optimizer, double finalLoss, double finalPerplexity,
                      long convergenceStep, double msPerStep, double tokensPerSecond, long steps, String state) {
    }

    private final List<Row> rows;
    private final Path chart;
    private final Path json;

    public BenchmarkResult(List<Row> rows, Path chart, Path json) {
        this.rows = List.copyOf(rows);
        this.chart = chart;
        this.json = json;
    }

    public List<Row> rows() { return rows; }

    public Path chart() { return chart; }

    public Path json() { return json; }
}

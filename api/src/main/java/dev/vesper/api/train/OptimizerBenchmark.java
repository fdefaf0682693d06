package dev.vesper.api.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Trains the same model on the same data with the same seed and number of steps once per arm
 * (an optimizer with its options), one after the other, and compares them: what
 * {@code vesper:bench} reports.
 */
@ProviderType
public interface OptimizerBenchmark {
    /**
     * Runs every arm of {@code base} in {@code directory/<label>}, writes {@code directory/bench.json}
     * and the comparative loss chart {@code directory/bench.png}, and returns the figures as measured.
     * {@code progress} sees each arm's job as it starts.
     */
    BenchmarkResult compare(TrainingConfig base, List<BenchmarkArm> arms, Path directory, Consumer<TrainingJob> progress)
            throws IOException, InterruptedException;
}

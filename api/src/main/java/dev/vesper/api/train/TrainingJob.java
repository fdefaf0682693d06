package dev.vesper.api.train;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One training run. Control methods may be called from any thread; they take effect at the next
 * step boundary.
 */
@ProviderType
public interface TrainingJob {
    String id();

    TrainingConfig config();

    JobStatus status();

    void pause();

    void resume();

    /** Stops after the current step and writes a final checkpoint. */
    void stop();

    /** Switches optimizer at the next step boundary, carrying the moments over where compatible. */
    void useOptimizer(String name);

    /** Switches activation at the next step boundary. */
    void useActivation(String name);

    /** Completes with the final status when the job ends, however it ends. */
    CompletableFuture<JobStatus> completion();

    /** The run directory: metrics, charts, checkpoints. */
    Path runDirectory();

    /** Renders the loss and perplexity chart now and returns its path. */
    Path renderChart();

    /** The model being trained (read it only while paused or after the end). */
    LanguageModel model();

    Tokenizer tokenizer();
}

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

    /**
     * Switches optimizer at the next step boundary, carrying the moments over. When the new optimizer
     * cannot take them ({@link dev.vesper.api.optim.IncompatibleStateException}), the switch is refused:
     * the run goes on with the current optimizer and {@link JobStatus#message()} says why.
     *
     * @throws IllegalArgumentException when no optimizer of that name is installed
     * @throws IllegalStateException when the job has ended
     */
    void useOptimizer(String name);

    /**
     * As {@link #useOptimizer(String)}; with {@code freshState}, an optimizer that cannot take the
     * current moments starts from empty ones instead of being refused.
     */
    default void useOptimizer(String name, boolean freshState) {
        if (freshState) {
            throw new UnsupportedOperationException("this job cannot switch with fresh optimizer state");
        }
        useOptimizer(name);
    }

    /**
     * Switches activation at the next step boundary.
     *
     * @throws IllegalArgumentException when no activation of that name is installed
     * @throws IllegalStateException when the job has ended
     */
    void useActivation(String name);

    /** Completes with the final status when the job ends, however it ends. */
    CompletableFuture<JobStatus> completion();

    /**
     * The run directory: {@code metrics.jsonl} (one JSON object per step or evaluation),
     * {@code chart.png}, {@code tokenizer.json} and {@code checkpoints/step-NNNNNNNN/}.
     */
    Path runDirectory();

    /** The newest checkpoint this job wrote (the final one once it ended), or null before the first. */
    default Path lastCheckpoint() {
        return null;
    }

    /** Renders the loss and perplexity chart now and returns its path. */
    Path renderChart();

    /**
     * The model being trained (read it only while paused or after the end); null before it is built. Once a
     * later job of the same service has ended too, an ended job's model stays only while memory allows: it is
     * null after that, and {@link #lastCheckpoint()} holds it.
     */
    LanguageModel model();

    Tokenizer tokenizer();
}

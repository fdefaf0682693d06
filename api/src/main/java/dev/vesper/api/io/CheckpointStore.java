package dev.vesper.api.io;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Saves and loads checkpoint directories. A save writes a temporary directory, fsyncs it and
 * renames it into place, so an existing checkpoint is never half-overwritten.
 */
@ProviderType
public interface CheckpointStore {
    void save(Path directory, Checkpoint checkpoint) throws IOException;

    /** @throws IOException naming the file and tensor when the checkpoint is corrupt or inconsistent */
    Checkpoint load(Path directory) throws IOException;

    /**
     * The model alone: configuration, weights, adapter and tokenizer, with no optimizer state and no
     * trainer state. What generation, evaluation and fine-tuning need, so that a checkpoint whose other
     * files are damaged or missing still serves for them; a resume needs {@link #load}.
     *
     * @throws IOException naming the file and tensor when the model's files are corrupt or inconsistent
     * @since 1.3
     */
    default Checkpoint loadModel(Path directory) throws IOException {
        Checkpoint c = load(directory);
        return new Checkpoint(c.config(), c.model(), c.adapter(), null, null, c.tokenizerJson());
    }
}

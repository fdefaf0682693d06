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
}

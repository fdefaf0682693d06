package dev.vesper.api.io;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and writes tensor files (SafeTensors, spec section 7). Readers validate header size,
 * offsets, dtypes, shapes and names, and name the file and tensor in every error; a hostile file
 * costs neither a crash nor unbounded memory. Writes are atomic: temp file, fsync, rename.
 */
@ProviderType
public interface TensorFileFormat {
    /** The format's name, {@code safetensors}. */
    String name();

    TensorFile read(Path file) throws IOException;

    void write(Path file, TensorFile contents) throws IOException;
}

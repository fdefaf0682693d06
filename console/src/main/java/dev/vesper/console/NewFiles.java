package dev.vesper.console;

import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * New files a command writes under a name the user gave: the name is checked before the work, which can take
 * minutes, and must still be free when the finished file is put in place.
 */
final class NewFiles {
    private NewFiles() {
    }

    /**
     * Refuses a target that is taken, or whose folder does not exist or cannot be written: a typo in a path
     * should be said, not turned into new folders.
     */
    static void requireFree(String command, Path target, String kind) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(command + ": " + target + " exists; name a new " + kind
                    + " (nothing was written)");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(command + ": no folder " + parent + " (nothing was written)");
        }
        // before the work, which may take minutes: a read-only or foreign folder would only fail at its end
        if (parent != null && !Files.isWritable(parent)) {
            throw new IllegalArgumentException(command + ": cannot write in " + parent + " (read-only, or not yours;"
                    + " nothing was written)");
        }
    }

    /** Puts a finished temporary file in place under a name that must still be free ({@link AtomicFiles#publishNew}). */
    static void publish(Path tmp, Path target) throws IOException {
        try {
            AtomicFiles.publishNew(tmp, target);
        } catch (FileAlreadyExistsException taken) {
            throw new IllegalArgumentException(target + " appeared meanwhile; it is left as it was (nothing was written)");
        }
        readableByAll(target);
    }

    /** An exporter may have written its temporary file 0600 (createTempFile); the file asked for reads like any other. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's defaults stand
        }
    }

    /** Writes {@code text} to a file that must not exist yet, whole or not at all. */
    static void writeNew(Path target, String text) throws IOException {
        Path tmp = AtomicFiles.temporarySibling(target);
        try {
            AtomicFiles.writeSynced(tmp, ch -> {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            });
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

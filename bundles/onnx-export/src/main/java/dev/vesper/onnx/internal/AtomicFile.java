package dev.vesper.onnx.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: the content goes to a temporary file in the same folder, is synced to
 * disk, and is then renamed over the target, so a reader sees the old file or the complete new one,
 * never a partial export. On any failure the temporary file is removed and the target is untouched.
 */
public final class AtomicFile {
    public interface Content {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException(target + ": cannot create its folder: " + e, e);
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.write(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(target + ": cannot be replaced atomically on this file system", e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().contains(target.toString()) ? e
                    : new IOException(target + ": " + e, e);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        syncFolder(dir);
    }

    /** Makes the rename durable; where a folder cannot be opened for sync, only durability is lost. */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not supported on this platform; the rename itself is still atomic
        }
    }
}

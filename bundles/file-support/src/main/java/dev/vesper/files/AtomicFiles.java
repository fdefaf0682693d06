package dev.vesper.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Files written whole or not at all. The content goes to a temporary file beside the target, is synced
 * to disk and renamed over the target, and the folder is synced so that the rename outlives a crash. A
 * reader sees the old file or the complete new one; after a failure the temporary file is gone and the
 * target is as it was.
 */
public final class AtomicFiles {
    private static final int STREAM_BUFFER = 1 << 16;

    /** Writes a file's content to the channel of its temporary file. */
    public interface ChannelContent {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes a file's content to a buffered stream over its temporary file. */
    public interface StreamContent {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code file} (or creates it, and its folders) with what {@code content} writes. */
    public static void write(Path file, ChannelContent content) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        Path dir = target.getParent();
        Path tmp = temporarySibling(target);
        boolean folderReady = false;
        try {
            createFolders(dir);
            folderReady = true;
            writeSynced(tmp, content);
            move(tmp, target);
        } catch (IOException e) {
            throw naming(target, tmp, e);
        } finally {
            if (folderReady) {
                Files.deleteIfExists(tmp);
            }
        }
        fsyncDirectory(dir);
    }

    public static void writeStream(Path file, StreamContent content) throws IOException {
        write(file, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), STREAM_BUFFER);
            content.write(out);
            out.flush();
        });
    }

    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        write(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    public static void writeText(Path file, String text) throws IOException {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Puts a finished temporary file in place under a name that must still be free, for a command that
     * checked the name before minutes of work: a rename would silently replace a file that appeared
     * meanwhile, while a hard link fails if the name is taken.
     *
     * @throws FileAlreadyExistsException when {@code target} exists; the temporary file is left to the caller
     */
    public static void publishNew(Path finishedTemp, Path target) throws IOException {
        try {
            Files.createLink(target, finishedTemp);
            Files.delete(finishedTemp);
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.move(finishedTemp, target);   // without REPLACE_EXISTING: refuses a name that is taken
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** A fresh name beside {@code target}, hidden, for its temporary file or folder. */
    public static Path temporarySibling(Path target) {
        Path t = target.toAbsolutePath();
        return t.resolveSibling("." + t.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Creates {@code tmp} and fills it through {@code content}, synced to disk before it returns. */
    public static void writeSynced(Path tmp, ChannelContent content) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            content.write(ch);
            ch.force(true);
        }
    }

    /** Renames {@code from} over {@code to} in one step, or not at all. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + ": this file system cannot put a file in place in one step", e);
        }
    }

    /** A folder and its parents; a file in the way is named as what it is. */
    private static void createFolders(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException fileInTheWay) {
            throw new FileSystemException(fileInTheWay.getFile(), null, "a file, where a folder is needed");
        }
    }

    /** Makes a rename durable; where a folder cannot be opened for sync, only durability is lost. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // e.g. Windows: the rename itself is still atomic
        }
    }

    /** Deletes a folder and everything in it; a missing one is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * {@code <target>: cannot write (<reason>)}, naming another path only when the fault lies there (a folder
     * on the way): the temporary file's name would only puzzle whoever reads it.
     */
    private static IOException naming(Path target, Path tmp, IOException e) {
        if (!(e instanceof FileSystemException f)) {
            return new IOException(target + ": " + FileErrors.reason(e), e);
        }
        String file = f.getFile();
        boolean elsewhere = file != null && !file.equals(target.toString()) && !file.equals(tmp.toString());
        return new IOException(target + ": cannot write (" + (elsewhere ? file + ": " : "") + FileErrors.reason(e) + ")", e);
    }
}

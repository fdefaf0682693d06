package dev.vesper.data.internal.cache;

import dev.vesper.files.FileErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary files a cache is written to before the rename ({@code .tokens-<hash>.vtok<digits>.tmp}
 * beside it), and the removal of those that a killed build left behind.
 */
public final class CacheTemporaries {
    /**
     * How old a temporary file must be before it may be removed. A live writer holds a lock on its file
     * (below), so age only guards the moment between creating the file and locking it, and file systems
     * without locks, where nothing is removed anyway.
     */
    static final Duration STALE_AFTER = Duration.ofHours(1);
    /**
     * The files this JVM is writing. Another job in the same JVM must not even try to lock them: on POSIX,
     * closing any channel to a file drops every lock the process holds on it, the writer's included.
     */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    /** A temporary file and the channel it is written through, locked while it is written. */
    record Temp(Path path, FileChannel channel) {
    }

    private CacheTemporaries() {
    }

    /**
     * A new temporary file beside {@code target}. It is created with the file system's default permissions
     * (the umask), not {@code Files.createTempFile}'s owner-only 0600, because the rename keeps them and a
     * cache in a shared runs folder must be readable by the others who use it.
     */
    static Temp create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            while (true) {
                tmp = dir.resolve("." + target.getFileName() + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                        + ".tmp");
                try {
                    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    WRITING.add(tmp);
                    lock(ch);
                    return new Temp(tmp, ch);
                } catch (FileAlreadyExistsException taken) {
                    // another writer's name: draw again
                }
            }
        } catch (IOException e) {
            throw cannotWrite(target, tmp, e);
        }
    }

    /** Says that a live writer has the file, to other processes that would remove it as stale. */
    private static void lock(FileChannel ch) {
        try {
            ch.tryLock();
        } catch (IOException | OverlappingFileLockException noLocks) {
            // a file system without locks: the file is then never removed as stale, only by its writer
        }
    }

    /** The temporary file is renamed or deleted: no longer this JVM's to protect. */
    static void done(Path tmp) {
        WRITING.remove(tmp);
    }

    /** {@code <cache file>: cannot write the token cache (<reason>)}, naming another path only where the fault is. */
    static IOException cannotWrite(Path target, Path tmp, IOException e) {
        String file = e instanceof FileSystemException f ? f.getFile() : null;
        boolean elsewhere = file != null && !file.equals(String.valueOf(tmp)) && !file.equals(target.toString());
        return new IOException(target + ": cannot write the token cache ("
                + (elsewhere ? FileErrors.describe(e) : FileErrors.reason(e)) + ")", e);
    }

    /**
     * Removes the temporary files of {@code target} that no one is writing: older than {@link #STALE_AFTER}
     * and not locked, by this JVM or another process. Best effort: what cannot be checked or removed stays.
     *
     * @return how many were removed
     */
    public static int removeStale(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName();
        Instant before = Instant.now().minus(STALE_AFTER);
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
            for (Path p : s) {
                if (stale(p, before) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // no folder yet, or one that cannot be listed: nothing to tidy, and the build says what is wrong
        }
        return removed;
    }

    private static boolean stale(Path p, Instant before) throws IOException {
        if (WRITING.contains(p) || !Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
            return false;
        }
        // a shared lock: only the writer's exclusive one refuses it, and it needs only read permission
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
             FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true)) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException cannotTell) {
            return false;
        }
    }
}

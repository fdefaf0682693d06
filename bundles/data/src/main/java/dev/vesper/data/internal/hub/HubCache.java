package dev.vesper.data.internal.hub;

import dev.vesper.data.internal.FileFaults;
import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One dataset repository in the hub cache, in the official layout, so that files downloaded by the
 * Python tools are reused and the other way round:
 * {@code datasets--{owner}--{name}/blobs/{etag}}, {@code snapshots/{commit}/{path}} (a relative
 * symbolic link to the blob), {@code refs/{revision}} (the commit a branch or tag pointed to).
 */
public final class HubCache {
    private final Path repo;

    public HubCache(Path hubCache, HubLocation location) {
        this.repo = hubCache.resolve("datasets--" + location.owner + "--" + location.name);
    }

    public Path repo() {
        return repo;
    }

    public Optional<String> ref(String revision) throws IOException {
        if (HubLocation.isCommit(revision)) {
            return Optional.of(revision);
        }
        Path p = repo.resolve("refs").resolve(revision);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        String commit = Files.readString(p, StandardCharsets.UTF_8).strip();
        return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
    }

    public void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path p = repo.resolve("refs").resolve(revision);
        if (Files.isRegularFile(p) && Files.readString(p, StandardCharsets.UTF_8).strip().equals(commit)) {
            return;
        }
        AtomicFiles.writeText(p, commit);
    }

    public Path snapshot(String commit, String path) {
        return repo.resolve("snapshots").resolve(commit).resolve(path);
    }

    public Path blob(String etag) {
        return repo.resolve("blobs").resolve(etag);
    }

    /** A held lock on one blob, across threads and processes. */
    public interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> LOCAL =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Locks a blob while it is downloaded: a lock per path inside this JVM, and a file lock against
     * other processes on {@code .locks/datasets--{owner}--{name}/{etag}.lock}, where huggingface_hub
     * keeps its own.
     */
    public Held lock(String etag) throws IOException {
        Path lockFile = repo.getParent().resolve(".locks").resolve(repo.getFileName()).resolve(etag + ".lock");
        Files.createDirectories(lockFile.getParent());
        java.util.concurrent.locks.ReentrantLock local = LOCAL.computeIfAbsent(lockFile.toAbsolutePath(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        java.nio.channels.FileChannel ch = null;
        try {
            ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock fileLock = ch.lock();
            java.nio.channels.FileChannel channel = ch;
            return () -> {
                try {
                    fileLock.release();
                    channel.close();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            local.unlock();
            throw e;
        }
    }

    /**
     * Points the snapshot entry at the blob: a relative symbolic link (made beside it, then renamed
     * over it, so that readers never see it missing), or a copy where links are not supported.
     */
    public void link(Path pointer, Path blob) throws IOException {
        Files.createDirectories(pointer.getParent());
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + System.nanoTime() + ".link");
        try {
            Files.createSymbolicLink(tmp, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(tmp);
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        move(tmp, pointer);
    }

    /** Files of a cached snapshot whose path matches the pattern, sorted. */
    public List<String> list(String commit, Pattern pattern) throws IOException {
        Path root = repo.resolve("snapshots").resolve(commit);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!p.getFileName().toString().startsWith(".") && pattern.matcher(rel).matches()) {
                    out.add(rel);
                }
            });
        } catch (UncheckedIOException e) {
            throw FileFaults.unwrap(e);   // a folder of the snapshot that cannot be entered: named, with the reason
        }
        out.sort(null);
        return out;
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

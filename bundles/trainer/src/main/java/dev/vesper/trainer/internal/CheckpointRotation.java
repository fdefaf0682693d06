package dev.vesper.trainer.internal;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The checkpoints a job writes under {@code <run>/checkpoints/step-NNNNNNNN}, through the
 * {@link CheckpointStore} (which writes atomically). Only the newest {@code keep} of this job's own
 * checkpoints are kept; checkpoints it did not write (such as the one it resumed from) are never
 * deleted, and an existing directory is never written over.
 */
public final class CheckpointRotation {
    public static final String DIRECTORY = CheckpointLayout.CHECKPOINTS;

    private final CheckpointStore store;
    private final Path directory;
    private final int keep;
    private final Deque<Path> written = new ArrayDeque<>();

    public CheckpointRotation(CheckpointStore store, Path runDirectory, int keep) {
        this.store = store;
        this.directory = runDirectory.resolve(DIRECTORY);
        this.keep = keep;
    }

    public static String name(long step) {
        return String.format("step-%08d", step);
    }

    /**
     * The first checkpoint in {@code runDirectory} past {@code step}, which a run going on from {@code step}
     * into that folder could meet and would refuse to overwrite; null when there is none.
     */
    public static Path firstPast(Path runDirectory, long step) throws IOException {
        Path checkpoints = runDirectory.resolve(dev.vesper.api.io.CheckpointLayout.CHECKPOINTS);
        if (!Files.isDirectory(checkpoints)) {
            return null;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(p -> p.getFileName().toString().compareTo(name(step)) > 0
                    && p.getFileName().toString().matches("step-\\d{8}")).sorted().findFirst().orElse(null);
        }
    }

    /** Writes the checkpoint of {@code step} unless this job already wrote it; returns its directory. */
    public Path save(long step, Checkpoint checkpoint) throws IOException {
        Path target = directory.resolve(name(step));
        if (written.contains(target)) {
            return target;
        }
        if (Files.exists(target)) {
            throw new IOException("checkpoint " + target + " already exists; not overwriting it (choose another --out)");
        }
        Files.createDirectories(directory);
        store.save(target, checkpoint);
        written.addLast(target);
        while (written.size() > keep) {
            AtomicFiles.deleteTree(written.removeFirst());
        }
        return target;
    }

    /** The newest checkpoint this job wrote, or null. */
    public Path latest() {
        return written.peekLast();
    }
}

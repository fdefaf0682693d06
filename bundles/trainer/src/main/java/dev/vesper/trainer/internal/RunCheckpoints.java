package dev.vesper.trainer.internal;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The checkpoints a run can go on from: those it writes, which a {@link CheckpointRotation} keeps, and the
 * one it resumed from, which it never deletes.
 */
final class RunCheckpoints {
    private final CheckpointStore store;
    private final CheckpointRotation rotation;
    /** The checkpoint the run resumed from, or null. */
    private final Path resumedFrom;
    private final Journal journal;
    /** The last checkpoint this run wrote; read by any thread. */
    private volatile Path last;

    RunCheckpoints(CheckpointStore store, Path runDirectory, int keep, Path resumedFrom, Journal journal) {
        this.store = store;
        this.rotation = new CheckpointRotation(store, runDirectory, keep);
        this.resumedFrom = resumedFrom;
        this.journal = journal;
    }

    /** Writes the checkpoint of {@code step} unless this run already wrote it, noting a new one; returns its folder. */
    Path save(long step, Checkpoint c) throws IOException {
        Path dir = rotation.save(step, c);
        if (!dir.equals(last)) {
            last = dir;
            journal.note("checkpoint", dir.toString());
        }
        return dir;
    }

    Checkpoint load(Path dir) throws IOException {
        return store.load(dir);
    }

    /** The checkpoint a recovery goes back to: this run's newest, or the one it resumed from; null when none. */
    Path reloadSource() {
        return rotation.latest() != null ? rotation.latest() : resumedFrom;
    }

    /** The checkpoint to resume from after a fault: the last this run wrote, or the one it resumed from; or null. */
    Path resumable() {
        return last != null ? last : resumedFrom;
    }

    /** The last checkpoint this run wrote, or null. */
    Path last() {
        return last;
    }
}

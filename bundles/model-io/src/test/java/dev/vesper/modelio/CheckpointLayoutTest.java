package dev.vesper.modelio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.CheckpointLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's checkpoint layout, against folders laid out as the trainer writes them. */
class CheckpointLayoutTest {
    @TempDir
    Path run;

    private Path checkpoint(String name) throws IOException {
        Path dir = Files.createDirectories(run.resolve(CheckpointLayout.CHECKPOINTS).resolve(name));
        Files.writeString(dir.resolve(CheckpointLayout.MODEL), "weights");
        return dir;
    }

    @Test
    void theNewestCheckpointIsFoundFromTheRunOrItsCheckpointsFolder() throws IOException {
        checkpoint("step-00000200");
        Path newest = checkpoint("step-00001000");
        checkpoint("step-00000300");
        Files.createDirectories(run.resolve(CheckpointLayout.CHECKPOINTS).resolve(".tmp-step-00002000"));
        assertTrue(CheckpointLayout.isRun(run));
        assertEquals(Optional.of(newest), CheckpointLayout.newest(run));
        assertEquals(Optional.of(newest), CheckpointLayout.newest(run.resolve(CheckpointLayout.CHECKPOINTS)));
        assertTrue(CheckpointLayout.isCheckpoint(newest));
        assertFalse(CheckpointLayout.isCheckpoint(run));
    }

    @Test
    void aRunWithoutCheckpointsHasNoNewest() throws IOException {
        Files.createDirectories(run.resolve(CheckpointLayout.CHECKPOINTS));
        assertEquals(Optional.empty(), CheckpointLayout.newest(run));
    }
}

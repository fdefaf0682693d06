package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.data.DefaultDataService;
import dev.vesper.data.FileSource;
import dev.vesper.trainer.TrainerService;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop while the run prepares: a read that waits on the network (a stalled Hub download, which ends on an
 * interrupt) once held the job in PREPARING until it ended on its own, however long that took.
 */
class StopWhilePreparingTest {
    @TempDir
    Path dir;

    /** Data that never comes: its read waits until its thread is interrupted, as a Hub download does. */
    static final class WaitingSource implements DatasetSource {
        final CountDownLatch reading = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public String scheme() {
            return "waiting";
        }

        @Override
        public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
            reading.countDown();
            try {
                new CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                interrupted = true;
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": download stopped (interrupted)");
            }
        }

        @Override
        public String fingerprint(String location, ReadOptions options) {
            return "waiting";
        }
    }

    @Test
    void aStopEndsAReadThatWaitsAndTheJobEndsStoppedWithoutLeavingItsFolder() throws Exception {
        Runs runs = new Runs(dir);
        RealStack stack = runs.stack;
        WaitingSource source = new WaitingSource();
        TrainerService service = new TrainerService(stack.autograd, stack.models, stack.tokenizers,
                new DefaultDataService(List.of(new FileSource(), source)), stack.checkpoints, stack.optimizers::get,
                stack.activations::get, List.of());
        Path out = dir.resolve("run");
        TrainingJob job = service.start(runs.config(out).data("waiting:forever"));
        assertTrue(source.reading.await(Runs.TIMEOUT_S, TimeUnit.SECONDS), "the job reads its data");
        assertEquals(JobState.PREPARING, job.status().state());

        job.stop();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state(), end.message());
        assertEquals("stopped while preparing the run", end.message());
        assertTrue(source.interrupted, "the read was interrupted, not left to end on its own");
        assertFalse(Files.exists(out), "a run stopped before its first step leaves nothing, as one that failed");
    }
}

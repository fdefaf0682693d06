package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.api.model.Activation;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-finite steps are skipped; too many in a row reload the last checkpoint at a lower rate. */
class FaultTest {
    @TempDir
    Path dir;

    /** ERA, or NaN everywhere while armed: a blow-up on demand. */
    static final class Unstable implements Activation {
        final Activation era = new EraActivation();
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public String name() {
            return "unstable";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int from, int to, Map<String, Double> options) {
            era.forward(x, y, cols, from, to, options);
            if (armed.get()) {
                java.util.Arrays.fill(y, from * cols, to * cols, Float.NaN);
            }
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int from, int to,
                             Map<String, Double> options) {
            era.backward(x, dy, dx, cols, from, to, options);
        }
    }

    @Test
    void nonFiniteStepsAreSkippedAndARunOfThemReloadsTheLastCheckpointWithHalfTheRate() throws Exception {
        Runs runs = new Runs(dir);
        Unstable unstable = new Unstable();
        runs.stack.activations.put("unstable", unstable);
        List<StepEvent> events = new CopyOnWriteArrayList<>();
        runs.listeners.add(e -> {
            events.add(e);
            if (e.step() == 7 && events.stream().noneMatch(StepEvent::skipped)) {
                unstable.armed.set(true);
            }
            if (events.stream().filter(StepEvent::skipped).count() == 3 && unstable.armed.getAndSet(false)) {
                // held at the boundary after the reload, so that the status can be read there
                runs.service.job(e.jobId()).orElseThrow().pause();
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).activation("unstable").steps(20)
                .schedule("constant").checkpointEvery(5).keepCheckpoints(5).maxBadSteps(3).evalEvery(0));
        JobStatus paused = Runs.await(job, s -> Runs.is(s, JobState.PAUSED), "paused after the reload");
        assertEquals(5, paused.step(), "the status went back with the run to the checkpoint's step");
        job.resume();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(20, end.step());

        List<Long> order = events.stream().map(StepEvent::step).toList();
        // 1..7 fine, 8..10 skipped, back to the checkpoint of step 5, then 6..20
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 6L, 7L, 8L), order.subList(0, 13));
        assertEquals(List.of(8L, 9L, 10L), events.stream().filter(StepEvent::skipped).map(StepEvent::step).toList());
        for (StepEvent e : events) {
            assertEquals(e.skipped(), !Double.isFinite(e.loss()));
        }
        double before = events.get(4).learningRate();
        double after = events.get(events.size() - 1).learningRate();
        assertEquals(before / 2, after, 1e-12, "the rate was halved");
        assertTrue(Double.isFinite(end.loss()));
        String metrics = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertTrue(metrics.contains("\"type\":\"skip\""));
        assertTrue(metrics.contains("reloaded"));
        assertTrue(metrics.contains("step-00000005"));
        TrainerState s = TrainerState.parse(
                Files.readString(job.lastCheckpoint().resolve("trainer.json")), "trainer.json");
        assertEquals(0.5, s.lrScale());
        assertFalse(unstable.armed.get());

    }

    @Test
    void withoutACheckpointARunOfBadStepsOnlyHalvesTheRate() throws Exception {
        Runs runs = new Runs(dir);
        Unstable unstable = new Unstable();
        runs.stack.activations.put("unstable", unstable);
        List<StepEvent> events = new CopyOnWriteArrayList<>();
        runs.listeners.add(e -> {
            events.add(e);
            unstable.armed.set(e.step() >= 2 && e.step() < 4);
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).activation("unstable").steps(8)
                .schedule("constant").checkpointEvery(0).maxBadSteps(2).evalEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), events.stream().map(StepEvent::step).toList());
        assertEquals(events.get(0).learningRate() / 2, events.get(7).learningRate(), 1e-12);
    }

    @Test
    void runningOutOfMemoryMidRunSaysWhatToChange() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.activations.put("hungry", new Activation() {
            @Override
            public String name() {
                return "hungry";
            }

            @Override
            public void forward(float[] x, float[] y, int cols, int from, int to, Map<String, Double> options) {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public void backward(float[] x, float[] dy, float[] dx, int cols, int from, int to,
                                 Map<String, Double> options) {
            }
        });
        JobStatus end = Runs.finish(runs.service.start(runs.config(dir.resolve("run")).activation("hungry").steps(3)
                .evalEvery(0).checkpointEvery(0)));
        assertEquals(JobState.FAILED, end.state());
        assertEquals("out of memory (Java heap space): try a smaller --batch or --seq, or give the JVM more heap"
                + " (VESPER_JAVA_OPTS=-Xmx4g)", end.message());
    }
}

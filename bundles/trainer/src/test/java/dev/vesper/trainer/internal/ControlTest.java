package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.activation.era.EraActivation;
import dev.vesper.api.model.Activation;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.trainer.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;
import org.junit.jupiter.api.io.TempDir;

/** Pause, resume, stop, hot swap and waiting for services, driven from the test's thread. */
class ControlTest {
    private static final int LONG = 100_000;

    @TempDir
    Path dir;

    @Test
    void pauseHoldsAtAStepBoundaryResumeGoesOnStopWritesAFinalCheckpoint() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 3, "three steps");
        job.pause();
        JobStatus paused = Runs.await(job, s -> Runs.is(s, JobState.PAUSED), "paused");
        Thread.sleep(150);
        assertEquals(paused.step(), job.status().step(), "no step while paused");
        assertTrue(Double.isFinite(paused.etaSeconds()) && paused.etaSeconds() > 0);
        job.resume();
        Runs.await(job, s -> Runs.is(s, JobState.RUNNING) && s.step() > paused.step(), "running again");
        job.stop();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state());
        assertTrue(end.message().startsWith("stopped at step " + end.step()), end.message());
        Path ck = job.lastCheckpoint();
        assertEquals(job.runDirectory().resolve("checkpoints").resolve(CheckpointRotation.name(end.step())), ck);
        Checkpoint c = runs.stack.checkpoints.load(ck);
        assertEquals(end.step(), TrainerState.parse(c.trainerJson(), "t").step());
        assertEquals(end.step(), c.optimizer().step());
    }

    @Test
    void stopWhilePausedEndsTheJob() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG));
        Runs.await(job, s -> s.step() >= 1, "a step");
        job.pause();
        Runs.await(job, s -> Runs.is(s, JobState.PAUSED), "paused");
        job.stop();
        assertEquals(JobState.STOPPED, Runs.finish(job).state());
        job.stop(); // stopping an ended job is harmless
        assertThrows(IllegalStateException.class, job::resume);
    }

    @Test
    void aJobStoppedNotByTheUserSaysWhy() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 1, "a step");
        ((Job) job).stop(DeactivationReason.describe(false, ComponentConstants.DEACTIVATION_REASON_UNSPECIFIED));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state());
        assertTrue(end.message().matches("stopped at step \\d+: the trainer stopped, as a bundle it uses was stopped, updated or refreshed; "
                + "--resume goes on from the checkpoint; checkpoint .*"), end.message());
        assertTrue(Files.isDirectory(job.lastCheckpoint()), "stopped with a checkpoint");
        assertEquals(null, DeactivationReason.describe(true, ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED),
                "a shutdown needs no word");
    }

    @Test
    void switchesOptimizerAndActivationAtTheNextBoundaryCarryingTheMoments() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 3, "three steps");
        assertThrows(IllegalArgumentException.class, () -> job.useOptimizer("nope"));
        assertThrows(IllegalArgumentException.class, () -> job.useActivation("nope"));
        job.useOptimizer("velvet");
        job.useActivation("gelu");
        JobStatus switched = Runs.await(job,
                s -> "velvet".equals(s.optimizer()) && "gelu".equals(s.activation()), "switched");
        Runs.await(job, s -> s.step() >= switched.step() + 3, "three more steps");
        job.stop();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state());
        assertTrue(Double.isFinite(end.loss()));
        Checkpoint c = runs.stack.checkpoints.load(job.lastCheckpoint());
        assertEquals("gelu", c.config().activation());
        assertEquals("gelu", job.model().config().activation());
        assertEquals("velvet", c.optimizer().optimizer());
        assertEquals(end.step(), c.optimizer().step(), "the moments and step count were carried over");
        String metrics = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertTrue(metrics.contains("optimizer switched from 'adamw' to 'velvet'"));
        assertTrue(metrics.contains("activation switched from 'era' to 'gelu'"));
        // the status seen first with velvet may be a step past the switch: the log says where it happened
        Matcher at = Pattern.compile("optimizer switched from 'adamw' to 'velvet' at step (\\d+)")
                .matcher(metrics);
        assertTrue(at.find());
        assertTrue(Integer.parseInt(at.group(1)) <= switched.step());
        assertEquals("job " + job.id() + " (adamw, velvet after step " + at.group(1) + ")",
                ((Job) job).chartTitle(), "the chart names both optimizers");
    }

    @Test
    void anIncompatibleOptimizerIsRefusedUnlessFreshStateIsAsked() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("sgd", new SgdFactory());
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 2, "two steps");
        job.useOptimizer("sgd");
        JobStatus refused = Runs.await(job, s -> s.message() != null && s.message().startsWith("cannot switch"),
                "refusal");
        assertEquals("adamw", refused.optimizer());
        assertTrue(refused.message().contains("sgd cannot import the moments of 'adamw'"), refused.message());
        assertEquals(JobState.RUNNING, refused.state());
        job.useOptimizer("sgd", true);
        Runs.await(job, s -> "sgd".equals(s.optimizer()), "switched with fresh state");
        job.stop();
        assertEquals(JobState.STOPPED, Runs.finish(job).state());
    }

    /**
     * Each request's outcome replaces the status message and is told to the listeners: a refusal does not
     * outlive the next request, even one for the optimizer or activation already in use (a no-op, said so).
     */
    @Test
    void eachSwitchRequestEndsInOneOutcomeThatReplacesAnEarlierRefusal() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("sgd", new SgdFactory());
        List<String> told = new CopyOnWriteArrayList<>();
        runs.listeners.add(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
            }

            @Override
            public void onStateChange(JobStatus s) {
                told.add(s.message());
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 2, "two steps");
        job.useOptimizer("sgd");
        Runs.await(job, s -> s.message() != null && s.message().startsWith("cannot switch"), "refusal");

        job.useOptimizer("adamw");
        JobStatus same = Runs.await(job, s -> s.message() != null && s.message().startsWith("optimizer 'adamw' is already"),
                "the refusal replaced by the no-op's outcome");
        assertTrue(same.message().endsWith(": nothing to switch"), same.message());
        assertEquals("adamw", same.optimizer());
        job.useActivation("era");
        Runs.await(job, s -> s.message() != null && s.message().startsWith("activation 'era' is already in use"),
                "an activation no-op said too");
        job.useOptimizer("sgd", true);
        JobStatus switched = Runs.await(job, s -> s.message() != null
                && s.message().startsWith("optimizer switched from 'adamw' to 'sgd'"), "switched with fresh state");
        assertEquals("sgd", switched.optimizer());
        job.stop();
        assertEquals(JobState.STOPPED, Runs.finish(job).state());

        List<String> outcomes = told.stream().filter(m -> m != null && (m.startsWith("cannot switch")
                || m.contains("already in use") || m.startsWith("optimizer switched"))).toList();
        assertEquals(4, outcomes.size(), "one event per request: " + outcomes);
        String metrics = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertTrue(metrics.contains("\"unchanged\""), "a note of its own kind in " + MetricsLog.FILE);
    }

    @Test
    void waitsWhileItsActivationIsGoneAndResumesWhenOneReturns() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 3, "three steps");
        runs.stack.activations.remove("era");
        JobStatus waiting = Runs.await(job, s -> Runs.is(s, JobState.WAITING), "waiting");
        assertTrue(waiting.message().contains("activation 'era' is not available"), waiting.message());
        Thread.sleep(300);
        assertEquals(waiting.step(), job.status().step());
        runs.stack.activations.put("era", new EraActivation());
        Runs.await(job, s -> Runs.is(s, JobState.RUNNING) && s.step() > waiting.step(), "resumed");
        job.stop();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state());
        Checkpoint c = runs.stack.checkpoints.load(job.lastCheckpoint());
        assertEquals(end.step(), c.optimizer().step(), "no step was lost or taken twice");
    }

    @Test
    void aStepFailingWhileServicesSettleIsRetriedNotFatal() throws Exception {
        // the model factory sees activations through its own registry, which may lag behind the trainer's
        Runs runs = new Runs(dir);
        Map<String, Activation> modelSide = new ConcurrentHashMap<>(runs.stack.activations);
        VesperModelFactory lagging = new VesperModelFactory(modelSide::get);
        TrainerService service = new TrainerService(runs.stack.autograd,
                lagging, runs.stack.tokenizers, runs.data, runs.stack.checkpoints, runs.stack.optimizers::get,
                runs.stack.activations::get, runs.listeners);
        TrainingJob job = service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 2, "two steps");
        modelSide.remove("era");
        service.servicesChanged();
        Runs.await(job, s -> Runs.is(s, JobState.WAITING), "waiting while the model misses its activation");
        Thread.sleep(300);
        assertEquals(JobState.WAITING, job.status().state());
        modelSide.put("era", new EraActivation());
        service.servicesChanged();
        JobStatus back = Runs.await(job, s -> Runs.is(s, JobState.RUNNING), "running again");
        Runs.await(job, s -> s.step() >= back.step() + 2, "two more steps");
        job.stop();
        assertEquals(JobState.STOPPED, Runs.finish(job).state());
    }

    @Test
    void aStepFailingJustBeforeTheTrainerHearsOfTheChangeWaitsNotFails() throws Exception {
        // DS may unbind an activation from the model factory a moment before it tells the trainer (felix:stop of
        // the activation's bundle): a step that fails in that moment is the services changing, not a fault
        Runs runs = new Runs(dir);
        Map<String, Activation> modelSide = new ConcurrentHashMap<>(runs.stack.activations);
        Map<String, Activation> trainerSide = new ConcurrentHashMap<>(runs.stack.activations);
        TrainerService service = new TrainerService(runs.stack.autograd,
                new VesperModelFactory(modelSide::get), runs.stack.tokenizers, runs.data, runs.stack.checkpoints,
                runs.stack.optimizers::get, trainerSide::get, runs.listeners);
        TrainingJob job = service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 2, "two steps");
        modelSide.remove("era");
        Thread.sleep(200);
        trainerSide.remove("era");
        service.servicesChanged();
        JobStatus waiting = Runs.await(job, s -> s.state() != JobState.RUNNING, "no longer running");
        assertEquals(JobState.WAITING, waiting.state(), waiting.message());
        assertTrue(waiting.message().contains("activation 'era' is not available"), waiting.message());
        EraActivation era = new EraActivation();
        modelSide.put("era", era);
        trainerSide.put("era", era);
        service.servicesChanged();
        JobStatus back = Runs.await(job, s -> Runs.is(s, JobState.RUNNING) && s.step() > waiting.step(), "resumed");
        Runs.await(job, s -> s.step() >= back.step() + 2, "two more steps");
        job.stop();
        assertEquals(JobState.STOPPED, Runs.finish(job).state());
    }

    @Test
    void waitsWhileItsOptimizerIsGoneAndTakesAReplacementWithTheMoments() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(LONG).checkpointEvery(0));
        Runs.await(job, s -> s.step() >= 3, "three steps");
        runs.stack.optimizers.remove("adamw");
        JobStatus waiting = Runs.await(job, s -> Runs.is(s, JobState.WAITING), "waiting");
        assertTrue(waiting.message().contains("optimizer 'adamw' is not available"), waiting.message());
        // a new bundle (a new factory instance) registers the same name
        runs.stack.optimizers.put("adamw", new AdamWFactory());
        Runs.await(job, s -> Runs.is(s, JobState.RUNNING) && s.step() > waiting.step(), "resumed");
        job.stop();
        JobStatus end = Runs.finish(job);
        Checkpoint c = runs.stack.checkpoints.load(job.lastCheckpoint());
        assertEquals(end.step(), c.optimizer().step(), "the replacement took the moments and step count");
    }
    @Test
    void asVesperShutsDownItsGoingServicesAreNoNewsTheStopFollows() throws Exception {
        // at exit the plug-ins' bundles stop before the trainer stops the job: "waiting for a bundle that provides it
        // (copy its jar into deploy/ …)" was printed to someone leaving
        Runs runs = new Runs(dir);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Collaborators services = new Collaborators(runs.stack.autograd, runs.stack.models, runs.stack.tokenizers, runs.data,
                runs.stack.checkpoints, runs.stack.optimizers::get, runs.stack.activations::get, runs.listeners);
        Path out = dir.resolve("run");
        java.nio.file.Files.createDirectories(out);
        Job job = new Job("1", runs.config(out).steps(LONG).checkpointEvery(0), services, out, false, null, null,
                stopping::get);
        job.start();
        Runs.await(job, s -> s.step() >= 3, "three steps");
        stopping.set(true);
        runs.stack.optimizers.remove("adamw");
        Thread.sleep(500);   // the boundary polls: it would have said so by now
        assertEquals(JobState.RUNNING, job.status().state(), job.status().message());
        job.stop();
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state());
        String metrics = java.nio.file.Files.readString(out.resolve(MetricsLog.FILE));
        assertFalse(metrics.contains("\"waiting\""), metrics);
    }
}

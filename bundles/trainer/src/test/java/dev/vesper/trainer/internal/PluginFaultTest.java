package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.api.model.Activation;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plug-in that fails (throws, or gives nothing but non-finite numbers) does not take the run, or the
 * steps before it, down: the run goes back to the activation it had, or stops with a checkpoint.
 */
class PluginFaultTest {
    private static final int SWITCH_AT = 4;

    @TempDir
    Path dir;

    /** Throws in forward, as a broken third-party bundle might. */
    static final class Throwing implements Activation {
        @Override
        public String name() {
            return "boom";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int from, int to, Map<String, Double> options) {
            throw new IllegalStateException("kaboom in forward");
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int from, int to, Map<String, Double> options) {
            throw new IllegalStateException("kaboom in backward");
        }
    }

    /** ERA, until armed: then it throws, as a bundle that breaks part-way through a run. */
    static final class ThrowsWhenArmed implements Activation {
        final Activation era = new EraActivation();
        final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public String name() {
            return "later";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int from, int to, Map<String, Double> options) {
            if (armed.get()) {
                throw new IllegalStateException("broke at last");
            }
            era.forward(x, y, cols, from, to, options);
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int from, int to, Map<String, Double> options) {
            era.backward(x, dy, dx, cols, from, to, options);
        }
    }

    /** ERA's numbers, then NaN in place of every output. */
    static final class NotANumber implements Activation {
        private final Activation era = new EraActivation();

        @Override
        public String name() {
            return "nan";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int from, int to, Map<String, Double> options) {
            era.forward(x, y, cols, from, to, options);
            java.util.Arrays.fill(y, from * cols, to * cols, Float.NaN);
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int from, int to, Map<String, Double> options) {
            era.backward(x, dy, dx, cols, from, to, options);
        }
    }

    private static String metrics(TrainingJob job) throws Exception {
        return Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
    }

    /** A job that asks for {@code activation} at its step {@value #SWITCH_AT}, from its own thread, so always in time. */
    private TrainingJob switchingTo(Runs runs, String activation, int steps) throws Exception {
        runs.listeners.add(e -> {
            if (e.step() == SWITCH_AT && !e.skipped()) {
                runs.service.job(e.jobId()).orElseThrow().useActivation(activation);
            }
        });
        return runs.service.start(runs.config(dir.resolve("run")).steps(steps).schedule("constant")
                .checkpointEvery(2).maxBadSteps(2).evalEvery(0));
    }

    @Test
    void anActivationThatThrowsIsLeftForTheOneBeforeAndTheRunGoesOn() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.activations.put("boom", new Throwing());
        TrainingJob job = switchingTo(runs, "boom", 40);
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(40, end.step());
        assertEquals("era", end.activation());
        String m = metrics(job);
        assertTrue(m.contains("failed in activation 'boom': kaboom in forward; back to activation 'era', and the run goes on"), m);
    }

    @Test
    void anActivationThatThrowsWithNoneToGoBackToStopsTheRunWithACheckpoint() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.activations.put("boom", new Throwing());
        TrainingJob good = runs.service.start(runs.config(dir.resolve("good")).steps(3).checkpointEvery(0).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(good).state());
        // fine-tuning the good run's model with boom from the first step: there is no other activation to go back to
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).model(good.lastCheckpoint().toString())
                .activation("boom").steps(5).checkpointEvery(0).evalEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state(), end.message());
        assertTrue(end.message().startsWith("step 1 failed in activation 'boom': kaboom in forward; stopped at step 0"),
                end.message());
        assertNotNull(job.lastCheckpoint(), "a checkpoint of where the run got to");
    }

    @Test
    void anActivationThatBreaksPartWayStopsTheRunWithoutEvaluatingThroughItAgain() throws Exception {
        Runs runs = new Runs(dir);
        ThrowsWhenArmed later = new ThrowsWhenArmed();
        runs.stack.activations.put("later", later);
        runs.listeners.add(e -> later.armed.set(e.step() >= 3));
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).activation("later").steps(20)
                .evalEvery(10).checkpointEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.STOPPED, end.state(), end.message());
        assertEquals(3, end.step());
        assertTrue(end.message().startsWith("step 4 failed in activation 'later': broke at last; stopped at step 3"),
                end.message());
        assertTrue(job.lastCheckpoint().endsWith("step-00000003"), String.valueOf(job.lastCheckpoint()));
    }

    @Test
    void anActivationThatGivesOnlyNaNStopsTheRecoveriesAndGoesBack() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.activations.put("nan", new NotANumber());
        TrainingJob job = switchingTo(runs, "nan", 40);
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals("era", end.activation());
        String m = metrics(job);
        assertEquals(Recovery.MAX_RELOADS, m.split("\"type\":\"recover\"", -1).length - 1, m);
        assertTrue(m.contains(Recovery.MAX_RELOADS + " recoveries in a row, down to x0.125 the rate, brought no finite"
                + " step: the rate is not the cause (in use: optimizer 'adamw', activation 'nan'); back to activation"
                + " 'era' at the rate before, and the run goes on"), m);
        TrainerState s = TrainerState.parse(Files.readString(job.lastCheckpoint().resolve("trainer.json")), "trainer.json");
        assertEquals(1.0, s.lrScale(), "the rate is as it was before the recoveries");
    }

    @Test
    void anOptimizerThatThrowsEndsTheRunNamingItAndTheCheckpointToGoOnFrom() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("broken", new OptimizerFactory() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
                Optimizer sgd = new SgdFactory().create(parameters, options);
                return new Optimizer() {
                    @Override
                    public String name() {
                        return "broken";
                    }

                    @Override
                    public void step(dev.vesper.api.optim.StepContext context) {
                        throw new IllegalStateException("no step today");
                    }

                    @Override
                    public dev.vesper.api.optim.StepStats lastStats() {
                        return sgd.lastStats();
                    }

                    @Override
                    public dev.vesper.api.optim.OptimizerState exportState() {
                        return sgd.exportState();
                    }

                    @Override
                    public void importState(dev.vesper.api.optim.OptimizerState state) {
                    }
                };
            }
        });
        runs.listeners.add(e -> {
            if (e.step() == SWITCH_AT) {
                runs.service.job(e.jobId()).orElseThrow().useOptimizer("broken", true);
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(40).checkpointEvery(2).evalEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FAILED, end.state(), end.message());
        assertTrue(end.message().contains("failed in optimizer 'broken': no step today; its update may have changed"
                + " weights part-way, so the run ends here: resume from " + job.lastCheckpoint()), end.message());
    }
}

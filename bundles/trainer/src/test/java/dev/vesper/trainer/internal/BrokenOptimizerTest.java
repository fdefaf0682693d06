package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optimizer plug-in that breaks outside {@code step}'s exceptions: it writes non-finite weights, fails to
 * export its state, or fails to make an optimizer at all. The run never saves or trains on non-finite
 * weights, never loops, and names the plug-in.
 */
class BrokenOptimizerTest {
    @TempDir
    Path dir;

    /**
     * SGD that breaks as told: a NaN in {@code poisoned}'s element {@code at} from its {@code poisonFrom}-th step
     * on, or a throwing export.
     */
    static final class Faulty implements OptimizerFactory {
        final long poisonFrom;
        final boolean exportThrows;
        final String poisoned;
        final int at;

        Faulty(long poisonFrom, boolean exportThrows) {
            this(poisonFrom, exportThrows, "tok_embeddings.weight", 0);
        }

        Faulty(long poisonFrom, boolean exportThrows, String poisoned, int at) {
            this.poisonFrom = poisonFrom;
            this.exportThrows = exportThrows;
            this.poisoned = poisoned;
            this.at = at;
        }

        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
            Optimizer sgd = new SgdFactory().create(parameters, options);
            return new Optimizer() {
                private long steps;

                @Override
                public String name() {
                    return "faulty";
                }

                @Override
                public void step(StepContext context) {
                    sgd.step(context);
                    if (++steps >= poisonFrom) {
                        Tensor w = parameters.stream().filter(p -> p.name().equals(poisoned)).findFirst().orElseThrow()
                                .value();
                        w.data()[w.offset() + at] = Float.NaN;
                    }
                }

                @Override
                public StepStats lastStats() {
                    return sgd.lastStats();
                }

                @Override
                public OptimizerState exportState() {
                    if (exportThrows) {
                        throw new IllegalStateException("no state today");
                    }
                    return new OptimizerState("sgd", steps, Map.of(), Map.of());
                }

                @Override
                public void importState(OptimizerState state) {
                    // keeps its own count: once broken, it poisons every update, after a reload too
                }
            };
        }
    }

    @Test
    void anOptimizerThatMakesTheWeightsNonFiniteIsReloadedAwayFromThenEndsTheRunWithNothingNonFiniteSaved()
            throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("faulty", new Faulty(8, false));
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).optimizer("faulty").steps(40)
                .schedule("constant").checkpointEvery(4).keepCheckpoints(10).evalEvery(0).maxBadSteps(3));
        JobStatus end = Runs.finish(job);

        assertEquals(JobState.FAILED, end.state(), end.message());
        // poisoned at step 8, found by its checkpoint; after each reload to step 4 the update of step 5 poisons
        // them again, found by step 6's loss
        assertTrue(end.message().startsWith("the weights are no longer finite at step 6, updated by optimizer"
                + " 'faulty', again after 2 reloads at lower rates: the run ends here, nothing saved; resume from "),
                end.message());
        assertTrue(end.message().contains("step-00000004"), end.message());
        String m = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertEquals(2, m.split("\"type\":\"recover\"", -1).length - 1, m);
        assertTrue(m.contains("the weights are no longer finite at step 8, updated by optimizer 'faulty'"), m);
        try (Stream<Path> saved = Files.list(job.runDirectory().resolve("checkpoints"))) {
            List<Path> dirs = saved.filter(Files::isDirectory).toList();
            assertEquals(List.of("step-00000004"), dirs.stream().map(p -> p.getFileName().toString()).toList());
            for (Path d : dirs) {
                Checkpoint c = runs.stack.checkpoints.load(d);
                for (Map.Entry<String, Tensor> e : c.model().entrySet()) {
                    for (float v : e.getValue().toArray()) {
                        assertTrue(Float.isFinite(v), d + ": " + e.getKey());
                    }
                }
            }
        }
    }

    @Test
    void withoutACheckpointNonFiniteWeightsEndTheRunAtOnceAndNothingIsSaved() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("faulty", new Faulty(3, false));
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).optimizer("faulty").steps(30)
                .checkpointEvery(0).evalEvery(0).maxBadSteps(3));
        JobStatus end = Runs.finish(job);

        assertEquals(JobState.FAILED, end.state(), end.message());
        assertEquals("the weights are no longer finite at step 4, updated by optimizer 'faulty', and there is"
                + " no checkpoint to go back to: the run ends here, nothing saved", end.message());
        assertEquals(4, end.step());
        assertNull(job.lastCheckpoint());
        // its non-finite weights are of no use, and a failed run is not handed over: held only while memory allows
        assertNotNull(((Job) job).looseModelReference(), "a failed job's model is still held strongly");
    }

    @Test
    void nonFiniteWeightsTheLossDoesNotReadAreFoundByTheCheckpointAndGoneBackFrom() throws Exception {
        Runs runs = new Runs(dir);
        // an untied model reads only the input rows of the bytes in its text: byte 250 never comes up
        runs.stack.optimizers.put("faulty", new Faulty(6, false, "tok_embeddings.weight", 250 * 32));
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).modelOverride("tie_embeddings", false)
                .optimizer("faulty").steps(40).schedule("constant").checkpointEvery(4).keepCheckpoints(10).evalEvery(0));
        JobStatus end = Runs.finish(job);

        assertEquals(JobState.FAILED, end.state(), end.message());
        assertTrue(end.message().startsWith("the weights are no longer finite at step 8, updated by optimizer 'faulty',"
                + " again after 2 reloads at lower rates"), end.message());
        String m = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertEquals(2, m.split("\"type\":\"recover\"", -1).length - 1, m);
        assertTrue(m.contains("non-finite weights: reloaded "), m);
        assertTrue(!m.contains("\"skipped\":true"), "every step's loss stayed finite");
        try (Stream<Path> saved = Files.list(job.runDirectory().resolve("checkpoints"))) {
            assertEquals(List.of("step-00000004"), saved.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anOptionTheOptimizerRefusesIsRefusedAtStartNamingIt() throws Exception {
        Runs runs = new Runs(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runs.service.start(
                runs.config(dir.resolve("run")).optimizerOption("beta1", 1.5).steps(3).evalEvery(0)));
        assertEquals("--optimizer-options: optimizer adamw, option 'beta1': must be in [0.0, 1.0), got 1.5", e.getMessage());
        assertTrue(runs.service.jobs().isEmpty());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void aBrokenServiceRankedAboveAWorkingOneLeavesTheRunWithTheOptimizerItHas() throws Exception {
        Runs runs = new Runs(dir);
        runs.listeners.add(e -> {
            if (e.step() == 3) {
                runs.stack.optimizers.put("adamw", new NullMaker());
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(8).checkpointEvery(0).evalEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(8, end.step());
        String m = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertEquals(1, m.split("made no optimizer", -1).length - 1, m);
        assertTrue(m.contains("optimizer 'adamw' made no optimizer (its factory returned null): the run goes on with"
                + " the optimizer it has"), m);
    }

    @Test
    void anOptimizerThatCannotExportItsStateEndsTheRunNamingItAndTheCheckpointBefore() throws Exception {
        Runs runs = new Runs(dir);
        runs.stack.optimizers.put("faulty", new Faulty(Long.MAX_VALUE, true));
        runs.listeners.add(e -> {
            if (e.step() == 5) {
                runs.service.job(e.jobId()).orElseThrow().useOptimizer("faulty", true);
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(30).checkpointEvery(4)
                .keepCheckpoints(10).evalEvery(0));
        JobStatus end = Runs.finish(job);

        assertEquals(JobState.FAILED, end.state(), end.message());
        assertTrue(end.message().startsWith("optimizer 'faulty' failed to export its state (no state today) for the"
                + " checkpoint of step 8: the run ends here; resume from "), end.message());
        assertTrue(end.message().endsWith("step-00000004"), end.message());
    }

    @Test
    void anOptimizerFactoryThatFailsLeavesTheJobWaitingUntilAWorkingOneTakesTheName() throws Exception {
        Runs runs = new Runs(dir);
        OptimizerFactory throwing = new OptimizerFactory() {
            @Override
            public String name() {
                return "lion";
            }

            @Override
            public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
                throw new IllegalStateException("cannot make one");
            }
        };
        runs.stack.optimizers.put("lion", throwing);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).optimizer("lion").steps(6)
                .checkpointEvery(0).evalEvery(0));
        JobStatus waiting = Runs.await(job, s -> Runs.is(s, JobState.WAITING), "waiting for a working 'lion'");
        assertTrue(waiting.message().startsWith("optimizer 'lion' could not make an optimizer (cannot make one):"
                + " waiting for a bundle that provides it"), waiting.message());

        runs.stack.optimizers.put("lion", (OptimizerFactory) new NullMaker());
        waiting = Runs.await(job, s -> s.message().contains("returned null"), "the null maker's turn");
        assertEquals(JobState.WAITING, waiting.state());
        assertTrue(waiting.message().startsWith("optimizer 'lion' made no optimizer (its factory returned null)"),
                waiting.message());

        runs.stack.optimizers.put("lion", new SgdFactory());
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(6, end.step());
    }

    /** A factory that returns null, as a careless third-party one might. */
    static final class NullMaker implements OptimizerFactory {
        @Override
        public String name() {
            return "lion";
        }

        @Override
        public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
            return null;
        }
    }

    @Test
    void aServiceThatTakesOverTheNameWhileTheRunGoesOnIsSaid() throws Exception {
        Runs runs = new Runs(dir);
        runs.listeners.add(e -> {
            if (e.step() == 3) {
                runs.stack.optimizers.put("adamw", new dev.vesper.optimizer.adamw.internal.AdamWFactory());
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(8).checkpointEvery(0)
                .evalEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        String m = Files.readString(job.runDirectory().resolve(MetricsLog.FILE));
        assertTrue(m.contains("optimizer 'adamw' now answers to the name, with the moments carried over"), m);
    }
}

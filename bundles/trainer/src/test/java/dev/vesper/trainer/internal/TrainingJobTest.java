package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A whole run on the real model, engine, optimizers and checkpoint store. */
class TrainingJobTest {
    @TempDir
    Path dir;

    @Test
    void aRunTrainsReportsAndLeavesItsFiles() throws Exception {
        Runs runs = new Runs(dir);
        List<StepEvent> steps = new CopyOnWriteArrayList<>();
        List<EvalEvent> evals = new CopyOnWriteArrayList<>();
        List<JobState> states = new CopyOnWriteArrayList<>();
        runs.listeners.add(e -> {
            throw new IllegalStateException("a broken listener must not hurt the job");
        });
        runs.listeners.add(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                steps.add(e);
            }

            @Override
            public void onEvaluation(EvalEvent e) {
                evals.add(e);
            }

            @Override
            public void onStateChange(JobStatus s) {
                states.add(s.state());
            }
        });
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(40));
        assertEquals(job, runs.service.latest().orElseThrow());
        JobStatus end = Runs.finish(job);

        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(40, end.step());
        assertEquals(40, end.totalSteps());
        assertEquals(40, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i + 1, steps.get(i).step());
            assertFalse(steps.get(i).skipped());
            assertTrue(Double.isFinite(steps.get(i).gradNorm()) && steps.get(i).gradNorm() > 0);
            assertTrue(steps.get(i).tokensPerSecond() > 0);
        }
        assertTrue(mean(steps.subList(35, 40)) < mean(steps.subList(0, 5)) - 0.3,
                "loss went down: " + mean(steps.subList(0, 5)) + " -> " + mean(steps.subList(35, 40)));
        assertEquals(List.of(10L, 20L, 30L, 40L), evals.stream().map(EvalEvent::step).toList());
        assertTrue(evals.get(3).validationLoss() < evals.get(0).validationLoss());
        assertEquals(List.of(JobState.PREPARING, JobState.RUNNING, JobState.FINISHED),
                states.stream().distinct().toList());

        assertTrue(Double.isFinite(end.loss()) && Double.isFinite(end.perplexity()));
        assertTrue(end.learningRate() > 0 && end.msPerStep() > 0 && end.tokensPerSecond() > 0);
        assertTrue(end.heapUsedBytes() > 0);
        assertTrue(Double.isFinite(end.validationLoss()));
        assertTrue(end.convergenceStep() > 0);
        assertEquals("adamw", end.optimizer());
        assertEquals("era", end.activation());

        Path run = job.runDirectory();
        List<String> lines = Files.readAllLines(run.resolve(MetricsLog.FILE));
        ObjectMapper json = new ObjectMapper();
        long stepLines = 0;
        long evalLines = 0;
        for (String l : lines) {
            JsonNode n = json.readTree(l);
            stepLines += n.get("type").asText().equals("step") ? 1 : 0;
            evalLines += n.get("type").asText().equals("eval") ? 1 : 0;
        }
        assertEquals(40, stepLines);
        assertEquals(4, evalLines);
        assertTrue(Files.size(run.resolve(LossChart.FILE)) > 1000);
        assertTrue(Files.isRegularFile(run.resolve("tokenizer.json")));
        // checkpoints at 10, 20, 30, 40; the last two kept
        try (Stream<Path> s = Files.list(run.resolve(CheckpointRotation.DIRECTORY))) {
            assertEquals(List.of("step-00000030", "step-00000040"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(run.resolve("checkpoints/step-00000040"), job.lastCheckpoint());
        for (String f : List.of("model.safetensors", "optimizer.safetensors", "trainer.json", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(job.lastCheckpoint().resolve(f)), f);
        }
        // the finished model and tokenizer are there to sample from
        int[] prompt = job.tokenizer().encode("ROMEO:");
        int[] out = job.model().generate(prompt, SamplingOptions.greedy(8), (i, t) -> { });
        assertEquals(8, out.length);
        Path chart = job.renderChart();
        assertTrue(Files.isRegularFile(chart));
        assertThrows(IllegalStateException.class, job::pause);
    }

    @Test
    void anEndedJobKeepsItsModelButNotItsGradients() throws Exception {
        // a listed job holds its model for generate; gradients and optimizer moments would double or triple that
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("ended")).steps(2));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        assertTrue(job.model().trainableParameters().stream().noneMatch(p -> p.value().hasGrad()),
                "a gradient is still held");
        assertTrue(job.model().weights(false).size() > 0);
    }

    @Test
    void anEndedJobsModelIsHeldLooselyOnceALaterJobHasEndedAndNothingElseHoldsIt() throws Exception {
        // a shell session of several large runs would otherwise keep every run's model until it ends
        Runs runs = new Runs(dir);
        Job first = (Job) runs.service.start(runs.config(dir.resolve("first")).steps(2));
        assertEquals(JobState.FINISHED, Runs.finish(first).state());
        Job second = (Job) runs.service.start(runs.config(dir.resolve("second")).steps(2));
        assertNull(first.looseModelReference(), "the latest ended job keeps its model while another runs");
        assertEquals(JobState.FINISHED, Runs.finish(second).state());
        assertNotNull(first.looseModelReference(), "job 1's model is still held strongly after job 2 ended");
        assertNull(second.looseModelReference(), "the latest ended job's model is held loosely");
        assertNotNull(first.model(), "memory did not run short: the model is still there");

        java.lang.ref.WeakReference<?> model = new java.lang.ref.WeakReference<>(first.model());
        first.looseModelReference().clear();   // as the collector does when memory runs short
        for (int i = 0; i < 50 && model.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(model.get(), "something else still holds job 1's model");
        assertNull(first.model());
        assertEquals(JobState.FINISHED, first.status().state(), "the job itself stays listed");
        assertNotNull(first.lastCheckpoint());
        assertTrue(runs.service.jobs().contains(first));
        assertNotNull(second.model());
    }

    @Test
    void sameSeedSameRunBitForBit() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob a = runs.service.start(runs.config(dir.resolve("a")).steps(12).modelOverride("dropout", 0.1)
                .activation(Runs.EXACT_ACTIVATION));
        TrainingJob b = runs.service.start(runs.config(dir.resolve("b")).steps(12).modelOverride("dropout", 0.1)
                .activation(Runs.EXACT_ACTIVATION));
        assertEquals(JobState.FINISHED, Runs.finish(a).state());
        assertEquals(JobState.FINISHED, Runs.finish(b).state());
        Weights.assertBitIdentical(a.model(), b.model());
        assertEquals(List.of(a, b), runs.service.jobs());
        Path cmp = runs.service.renderComparison(List.of(a, b), dir.resolve("compare.png"));
        assertTrue(Files.size(cmp) > 1000);
        TrainingJob foreign = new Runs(dir).service.start(runs.config(dir.resolve("c")).steps(1));
        assertThrows(IllegalArgumentException.class,
                () -> runs.service.renderComparison(List.of(a, foreign), dir.resolve("x.png")));
        Runs.finish(foreign);
        assertEquals(b, runs.service.latest().orElseThrow());
        assertEquals(a, runs.service.job(a.id()).orElseThrow());
    }

    /**
     * Two runs one after the other, so that the second meets kernels the JIT compiled during the first: the
     * Vector API paths of the engine and of the activations must not change a bit when that happens.
     */
    @ParameterizedTest(name = "vector engine {0}, {1}")
    @CsvSource({"false, era", "true, era", "true, gelu"})
    void sameSeedSameRunBitForBitOnEveryPath(boolean vectorEngine, String activation) throws Exception {
        Runs runs = new Runs(dir, vectorEngine);
        TrainingJob a = runs.service.start(runs.config(dir.resolve("a")).steps(12).modelOverride("dropout", 0.1)
                .activation(activation));
        assertEquals(JobState.FINISHED, Runs.finish(a).state());
        TrainingJob b = runs.service.start(runs.config(dir.resolve("b")).steps(12).modelOverride("dropout", 0.1)
                .activation(activation));
        assertEquals(JobState.FINISHED, Runs.finish(b).state());
        Weights.assertBitIdentical(a.model(), b.model());
    }

    @Test
    void badOptionsAreRefusedAtStartNamingTheOption() throws Exception {
        Runs runs = new Runs(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).optimizer("sgd")));
        assertTrue(e.getMessage().startsWith("--optimizer: 'sgd' is not installed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).model("huge")));
        assertTrue(e.getMessage().startsWith("--model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).seq(64)));
        assertTrue(e.getMessage().startsWith("--seq"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).modelOverride("depth", 3)));
        assertTrue(e.getMessage().startsWith("--config: model config: unknown key 'depth'; the keys are layers, heads"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).activation("swish")));
        assertTrue(e.getMessage().startsWith("--activation"), e.getMessage());
        // asked of the optimizer's own factory at once: on the job's thread it would wait, as for a broken plug-in
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).optimizerOption("beta3", "0.9")));
        assertTrue(e.getMessage().startsWith("--optimizer-options: unknown option [beta3] for optimizer adamw; known: ["),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).optimizerOption("beta2", "1.5")));
        assertEquals("--optimizer-options: optimizer adamw, option 'beta2': must be in [0.0, 1.0), got 1.5", e.getMessage());
        runs.stack.activations.remove("era");
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("x")).activation(null)));
        assertTrue(e.getMessage().startsWith("model 'tiny': its activation 'era' is not installed"), e.getMessage());
        assertTrue(runs.service.jobs().isEmpty());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aRunNeverWritesIntoAFolderThatHoldsOtherFiles() throws Exception {
        Runs runs = new Runs(dir);
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "keep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(used)));
        assertTrue(e.getMessage().startsWith("--out: " + used + " is not empty"), e.getMessage());
        assertEquals(List.of("notes.txt"), Files.list(used).map(p -> p.getFileName().toString()).toList());
        assertTrue(runs.service.jobs().isEmpty());
        // an empty folder is a fine place for a run
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(JobState.FINISHED, Runs.finish(runs.service.start(runs.config(empty).steps(2))).state());
    }

    /** --out notes.txt/run started the job, which then failed: ".../notes.txt/run: Not a directory". */
    @Test
    void aFolderUnderAFileIsRefusedAtStart() throws Exception {
        Runs runs = new Runs(dir);
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep");
        for (Path out : List.of(notes.resolve("run"), notes.resolve("run/deeper"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runs.service.start(runs.config(out)));
            assertEquals("--out: " + out + " cannot be made: " + notes + " is a file; name a new folder (a run goes on"
                    + " from one of its checkpoints with --resume <checkpoint>)", e.getMessage());
        }
        assertEquals("keep", Files.readString(notes));
        assertTrue(runs.service.jobs().isEmpty());
    }

    @Test
    void aFailureEndsTheJobNotTheCaller() throws Exception {
        Runs runs = new Runs(dir);
        // too short for one training window: found out only once the job reads it
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "Too short.");
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).data(tiny.toString()));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FAILED, end.state());
        assertTrue(end.message().contains("no window of seq + 1"), end.message());
    }

    @Test
    void aRunThatFailsBeforeItsFirstStepLeavesItsFolderFree() throws Exception {
        Runs runs = new Runs(dir);
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "Too short.");
        Path out = dir.resolve("run");
        assertEquals(JobState.FAILED, Runs.finish(runs.service.start(runs.config(out).data(tiny.toString()))).state());
        assertFalse(Files.exists(out), "the folder it made is gone");
        // a folder that was there, empty, stays, and empty
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(JobState.FAILED, Runs.finish(runs.service.start(runs.config(empty).data(tiny.toString()))).state());
        try (Stream<Path> left = Files.list(empty)) {
            assertEquals(List.of(), left.toList());
        }
        // so the corrected command runs where the first one was told to
        assertEquals(JobState.FINISHED, Runs.finish(runs.service.start(runs.config(out).steps(2))).state());
        assertTrue(Files.exists(out.resolve(MetricsLog.FILE)));
    }

    /** vocab_size=10 over the byte tokenizer's 257 ids once failed mid-run, on the first id past 10, and left its folder. */
    @Test
    void aVocabularyOtherThanTheTokenizersFailsBeforeTheFirstStepNamingBoth() throws Exception {
        Runs runs = new Runs(dir);
        Path out = dir.resolve("run");
        for (int vocab : new int[] {10, 300}) {
            List<StepEvent> steps = new CopyOnWriteArrayList<>();
            runs.listeners.add(steps::add);
            JobStatus end = Runs.finish(runs.service.start(runs.config(out).modelOverride("vocab_size", vocab)));
            assertEquals(JobState.FAILED, end.state());
            assertEquals("--config: vocab_size " + vocab + " differs from the 257 ids of the tokenizer (byte); the"
                    + " vocabulary comes from the tokenizer: drop vocab_size from --config", end.message());
            assertEquals(List.of(), steps, "no step was taken");
            assertFalse(Files.exists(out), "the folder it made is gone");
            runs.listeners.clear();
        }
    }

    @Test
    void aFolderInUseByARunningJobIsNotGivenToAnother() throws Exception {
        Runs runs = new Runs(dir);
        Path out = dir.resolve("run");
        TrainingJob first = runs.service.start(runs.config(out).steps(100_000).evalEvery(0).checkpointEvery(0));
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "Too short.");
        // the second would fail and clean up after itself: it must not get the chance to touch the first one's files
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(out).data(tiny.toString())));
        assertEquals("--out: " + out + " is the folder of a job that has not ended; name another", e.getMessage());
        // stopped while it still prepared, a new run removes its own folder (StopWhilePreparingTest): let it step first
        Runs.await(first, s -> s.step() >= 1, "a first step");
        first.stop();
        assertEquals(JobState.STOPPED, Runs.finish(first).state());
        assertTrue(Files.exists(out.resolve(MetricsLog.FILE)));
    }

    @Test
    void aResumedRunThatFailsKeepsTheFolderItWroteInto() throws Exception {
        Runs runs = new Runs(dir);
        Path data = Files.copy(runs.corpus, dir.resolve("data.txt"));
        Path out = dir.resolve("run");
        TrainingJob base = runs.service.start(runs.config(out).data(data.toString()).steps(4).checkpointEvery(4));
        assertEquals(JobState.FINISHED, Runs.finish(base).state());
        String metrics = Files.readString(out.resolve(MetricsLog.FILE));
        Files.writeString(data, "Too short.");
        TrainingJob resumed = runs.service.start(new TrainingConfig().steps(8).out(out).resume(base.lastCheckpoint()));
        assertEquals(JobState.FAILED, Runs.finish(resumed).state());
        assertTrue(Files.readString(out.resolve(MetricsLog.FILE)).startsWith(metrics), "the first run's metrics are kept");
        assertTrue(Files.exists(out.resolve(TokenizerResolver.RUN_FILE)));
    }

    @Test
    void earlyStoppingEndsARunThatNoLongerImproves() throws Exception {
        Runs runs = new Runs(dir);
        // a rate far below the weights' resolution: validation loss cannot improve after the first evaluation
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(100).learningRate(1e-15)
                .schedule("constant").evalEvery(5).earlyStopPatience(2));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state());
        assertEquals(15, end.step());
        assertTrue(end.message().startsWith("stopped early at step 15"), end.message());
        assertEquals(5, end.convergenceStep());
    }

    @Test
    void withoutOutARunGoesUnderRunsInTheWorkingDirectory() throws Exception {
        Runs runs = new Runs(dir);
        Path runsDir = Path.of("runs").toAbsolutePath();
        boolean existed = Files.exists(runsDir);
        TrainingJob job = runs.service.start(runs.config(null).steps(1).evalEvery(0));
        try {
            JobStatus end = Runs.finish(job);
            assertEquals(JobState.FINISHED, end.state());
            // evalEvery 0 switches evaluation off, the final one included
            assertTrue(Double.isNaN(end.validationLoss()), "validation loss " + end.validationLoss());
            assertFalse(Files.readString(job.runDirectory().resolve(MetricsLog.FILE)).contains("\"eval\""));
            assertEquals(runsDir, job.runDirectory().getParent());
            assertTrue(job.runDirectory().getFileName().toString().matches("\\d{8}-\\d{6}-" + job.id()),
                    job.runDirectory().toString());
            assertTrue(Files.isRegularFile(job.runDirectory().resolve(MetricsLog.FILE)));
        } finally {
            deleteTree(existed ? job.runDirectory() : runsDir);
        }
    }

    @Test
    void withoutOutARunThatFailsBeforeItsFirstStepLeavesNoFolderUnderRuns() throws Exception {
        Runs runs = new Runs(dir);
        Path runsDir = Path.of("runs").toAbsolutePath();
        boolean existed = Files.exists(runsDir);
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "Too short.");
        TrainingJob job = runs.service.start(runs.config(null).data(tiny.toString()));
        try {
            assertEquals(JobState.FAILED, Runs.finish(job).state());
            assertFalse(Files.exists(job.runDirectory()), "the folder claimed for it is gone: " + job.runDirectory());
        } finally {
            deleteTree(existed ? job.runDirectory() : runsDir);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }

    private static double mean(List<StepEvent> events) {
        double s = 0;
        for (StepEvent e : events) {
            s += e.loss();
        }
        return s / events.size();
    }
}

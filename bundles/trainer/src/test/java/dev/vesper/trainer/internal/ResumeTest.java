package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec section 7: a resumed run continues exactly; a bad checkpoint is refused and left as it was. */
class ResumeTest {
    private static final int N = 8;

    @TempDir
    Path dir;

    /** On the scalar engine and on the Vector API engine with ERA, whose vector path is exact too. */
    @ParameterizedTest(name = "vector engine {0}, {1}")
    @CsvSource({"false, " + Runs.EXACT_ACTIVATION, "true, era"})
    void twoNStepsEqualNStepsThenResumeThenNStepsBitForBit(boolean vectorEngine, String activation) throws Exception {
        Runs runs = new Runs(dir, vectorEngine);
        List<StepEvent> events = new CopyOnWriteArrayList<>();
        runs.listeners.add(events::add);
        // Velvet with every feature on (running means), dropout on (seeded per step), accumulation on
        TrainingConfig base = runs.config(dir.resolve("straight")).steps(2 * N).checkpointEvery(N).keepCheckpoints(5)
                .evalEvery(4).optimizer("velvet").optimizerOption("entropy_adaptive", true)
                .optimizerOption("perplexity_guided", true).optimizerOption("sparse_aware", true)
                .modelOverride("dropout", 0.1).accumulate(2).activation(activation);
        TrainingJob straight = runs.service.start(base);
        assertEquals(JobState.FINISHED, Runs.finish(straight).state());

        Path middle = straight.runDirectory().resolve("checkpoints/step-0000000" + N);
        // options left at their defaults (accumulate, the optimizer's options) are taken from the checkpoint
        TrainingJob resumed = runs.service.start(runs.config(dir.resolve("resumed")).steps(2 * N).evalEvery(4)
                .optimizer("velvet").activation(activation).resume(middle));
        assertEquals("velvet", resumed.config().optimizer(), "run settings come from the checkpoint");
        assertEquals(2, resumed.config().accumulate());
        JobStatus end = Runs.finish(resumed);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(2 * N, end.step());

        Weights.assertBitIdentical(straight.model(), resumed.model());
        Checkpoint a = runs.stack.checkpoints.load(straight.lastCheckpoint());
        Checkpoint b = runs.stack.checkpoints.load(resumed.lastCheckpoint());
        Weights.assertBitIdentical(a.optimizer(), b.optimizer());
        List<Double> lossA = losses(events, straight.id(), N);
        List<Double> lossB = losses(events, resumed.id(), N);
        assertEquals(N, lossB.size());
        assertEquals(lossA, lossB);
        TrainerState sa = TrainerState.parse(a.trainerJson(), "a");
        TrainerState sb = TrainerState.parse(b.trainerJson(), "b");
        assertEquals(sa.dataPosition(), sb.dataPosition());
        assertEquals(sa.evals(), sb.evals());
        assertEquals(Runs.finish(straight).convergenceStep(), end.convergenceStep());
    }

    /**
     * A short run with the default warmup uses a third of its steps (Configs.warmup), records that in
     * trainer.json, and a resume goes on with the same schedule (the warmup is read back, not worked out again).
     */
    @Test
    void aShortRunsCappedWarmupIsRecordedAndKeptByItsResume() throws Exception {
        Runs runs = new Runs(dir);
        List<StepEvent> events = new CopyOnWriteArrayList<>();
        runs.listeners.add(events::add);
        int defaultWarmup = TrainingConfig.DEFAULT_WARMUP;
        TrainingConfig base = runs.config(dir.resolve("straight")).resetWarmup().steps(3 * N)
                .checkpointEvery(N).keepCheckpoints(5);
        TrainingJob straight = runs.service.start(base);
        assertEquals(JobState.FINISHED, Runs.finish(straight).state());
        assertEquals(N, straight.config().warmup());
        List<Double> rates = new ArrayList<>();
        for (StepEvent e : events) {
            rates.add(e.learningRate());
        }
        assertEquals(base.learningRate() / N, rates.get(0), 1e-12, "a rate that climbs over " + N + " steps");
        assertEquals(base.learningRate(), rates.get(N - 1), 1e-12);
        assertTrue(rates.get(2 * N) < rates.get(N), "then decays");
        Path middle = straight.runDirectory().resolve("checkpoints/step-0000000" + N);
        TrainerState stored = TrainerState.parse(Files.readString(middle.resolve("trainer.json")), "trainer.json");
        assertEquals(N, ((Number) stored.config().get("warmup")).intValue());
        assertTrue(Files.readString(straight.runDirectory().resolve(MetricsLog.FILE))
                .contains("warmup " + N + " steps: the default " + defaultWarmup + " capped"));

        TrainingJob resumed = runs.service.start(runs.config(dir.resolve("resumed")).resetWarmup()
                .steps(3 * N).resume(middle));
        assertEquals(JobState.FINISHED, Runs.finish(resumed).state());
        assertEquals(N, resumed.config().warmup());
        assertEquals(losses(events, straight.id(), N), losses(events, resumed.id(), N));
        Weights.assertBitIdentical(straight.model(), resumed.model());
    }

    @Test
    void aCorruptCheckpointIsRefusedNamingFileAndTensorAndNothingIsWritten() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path good = job.lastCheckpoint();

        Path truncated = copy(good, dir.resolve("truncated"));
        Path model = truncated.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length - 64));
        Map<String, String> before = hashes(truncated);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("out1")).resume(truncated)));
        assertTrue(e.getMessage().startsWith("--resume: "), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("tensor '"),
                e.getMessage());
        assertEquals(before, hashes(truncated), "the checkpoint is left as it was");
        assertFalse(Files.exists(dir.resolve("out1")), "nothing is written");

        // an optimizer state from a model of another shape
        TrainingJob other = runs.service.start(runs.config(dir.resolve("other")).steps(2).checkpointEvery(0)
                .modelOverride("d_model", 16));
        assertEquals(JobState.FINISHED, Runs.finish(other).state());
        Path mismatched = copy(good, dir.resolve("mismatched"));
        Files.copy(other.lastCheckpoint().resolve("optimizer.safetensors"), mismatched.resolve("optimizer.safetensors"),
                StandardCopyOption.REPLACE_EXISTING);
        before = hashes(mismatched);
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("out2")).resume(mismatched)));
        assertTrue(e.getMessage().contains("optimizer.safetensors") && e.getMessage().contains("tensor '"),
                e.getMessage());
        assertEquals(before, hashes(mismatched));
        assertFalse(Files.exists(dir.resolve("out2")));

        Path noTrainer = copy(good, dir.resolve("inference-only"));
        Files.delete(noTrainer.resolve("trainer.json"));
        Files.delete(noTrainer.resolve("optimizer.safetensors"));
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("out3")).resume(noTrainer)));
        assertTrue(e.getMessage().contains("trainer.json"), e.getMessage());
        assertEquals(List.of(job, other), runs.service.jobs());
    }

    /** Once a ClassCastException's or a NullPointerException's text; now the file and the field. */
    @Test
    void aTrainerJsonWithAWrongFieldIsRefusedNamingFileAndFieldAndNothingIsWritten() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path edited = copy(job.lastCheckpoint(), dir.resolve("edited"));
        Path trainerJson = edited.resolve("trainer.json");
        String good = Files.readString(trainerJson);
        // each: the text replaced (its first place: the top level's optimizer, not config's), what replaces it,
        // and what the refusal says after the file's path
        List<String[]> edits = List.of(
                new String[] {"\"optimizer\" : \"adamw\"", "\"optimizer\" : null",
                    "optimizer: expected a non-empty string, got null"},
                new String[] {"\"optimizer_options\" : { }", "\"optimizer_options\" : \"zz\"",
                    "config.optimizer_options: expected an object, got \"zz\""},
                new String[] {"\"step\" : " + N, "\"step\" : -1", "step: expected an integer >= 0, got -1"});
        for (String[] edit : edits) {
            assertTrue(good.contains(edit[0]), good);
            Files.writeString(trainerJson, good.replaceFirst(Pattern.quote(edit[0]), edit[1]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).resume(edited)));
            assertEquals("--resume: " + trainerJson + ": " + edit[2], e.getMessage());
            assertFalse(Files.exists(dir.resolve("more")), "nothing is written");
        }
        assertEquals(List.of(job), runs.service.jobs());
    }

    /** A resumed run's --out that is a file, or lies under one, once failed only after the job had started. */
    @Test
    void aResumedRunsFolderThatIsOrLiesUnderAFileIsRefusedAtStart() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(2).checkpointEvery(2));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(notes).steps(4).resume(job.lastCheckpoint())));
        assertEquals("--out: " + notes + " is a file; name a folder", e.getMessage());
        Path under = notes.resolve("more");
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(under).steps(4).resume(job.lastCheckpoint())));
        assertEquals("--out: " + under + " cannot be made: " + notes + " is a file; name a folder", e.getMessage());
        assertEquals("keep", Files.readString(notes));
        assertEquals(List.of(job), runs.service.jobs());
    }

    @Test
    void aResumedRunWritesIntoItsOwnDirectoryAndNeverOverTheSource() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N / 2)
                .keepCheckpoints(1));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path source = job.lastCheckpoint();
        Map<String, String> before = hashes(source);
        // resuming into the same run directory with keep 1: the source checkpoint must survive rotation
        TrainingJob more = runs.service.start(runs.config(job.runDirectory()).steps(N + 2).checkpointEvery(1)
                .keepCheckpoints(1).resume(source));
        JobStatus end = Runs.finish(more);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(before, hashes(source));
    }

    @Test
    void aResumeOnDataThatChangedSinceTheCheckpointSaysSo() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path ck = job.lastCheckpoint();
        TrainingJob same = runs.service.start(runs.config(dir.resolve("same")).steps(N + 1).evalEvery(0).resume(ck));
        assertEquals(JobState.FINISHED, Runs.finish(same).state());
        assertFalse(Files.readString(same.runDirectory().resolve(MetricsLog.FILE)).contains("changed since"));

        Files.writeString(runs.corpus, Files.readString(runs.corpus) + "\nA line added after the checkpoint.\n");
        TrainingJob changed = runs.service.start(runs.config(dir.resolve("changed")).steps(N + 1).evalEvery(0).resume(ck));
        JobStatus end = Runs.finish(changed);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        String notes = Files.readString(changed.runDirectory().resolve(MetricsLog.FILE));
        assertTrue(notes.contains(runs.corpus + " changed since " + ck + " was saved (or was copied without its"
                + " modification times): the run goes on from the same position in the data as it is now"), notes);
    }

    @Test
    void aRunFolderGivenForACheckpointNamesTheCheckpointToGive() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N / 2));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path newest = job.lastCheckpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(new TrainingConfig().steps(2 * N).out(dir.resolve("more")).resume(dir.resolve("run"))));
        assertEquals("--resume: " + dir.resolve("run") + " is a run folder; give one checkpoint, e.g. " + newest,
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> runs.service.start(
                runs.config(dir.resolve("more")).model(dir.resolve("run/checkpoints").toString())));
        assertEquals("--model: " + dir.resolve("run/checkpoints") + " holds checkpoints; give one checkpoint, e.g. "
                + newest, e.getMessage());
        assertFalse(Files.exists(dir.resolve("more")), "nothing is written");
    }

    @Test
    void aResumeWithNoStepsLeftIsRefusedAtStart() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(N).resume(job.lastCheckpoint())));
        assertTrue(e.getMessage().startsWith("--steps: the checkpoint is already at step " + N), e.getMessage());
        assertFalse(Files.exists(dir.resolve("more")), "nothing is written");
        assertEquals(List.of(job), runs.service.jobs());
    }

    @Test
    void aResumeWithoutTheServicesItWasTrainedWithIsRefusedAtStart() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path ck = job.lastCheckpoint();
        var era = runs.stack.activations.remove("era");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(new TrainingConfig().steps(2 * N).out(dir.resolve("more")).resume(ck)));
        assertTrue(e.getMessage().startsWith("--resume: the checkpoint's activation 'era' is not installed"), e.getMessage());
        runs.stack.activations.put("era", era);
        runs.stack.optimizers.remove("adamw");
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(new TrainingConfig().steps(2 * N).out(dir.resolve("more")).resume(ck)));
        assertTrue(e.getMessage().startsWith("--resume: the checkpoint's optimizer 'adamw' is not installed"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("more")), "nothing is written");
        assertEquals(List.of(job), runs.service.jobs());
    }

    @Test
    void aResumeRefusesSettingsItWouldIgnore() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(N).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(job).state());
        Path ck = job.lastCheckpoint();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).data("builtin:other").resume(ck)));
        assertTrue(e.getMessage().startsWith("--data: a resumed run keeps its own setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).batch(3).resume(ck)));
        assertTrue(e.getMessage().startsWith("--batch: a resumed run keeps its own setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).skipBadLines(true).resume(ck)));
        assertTrue(e.getMessage().startsWith("--skip-bad-lines: a resumed run keeps its own setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).learningRate(0.05).resume(ck)));
        assertTrue(e.getMessage().startsWith("--lr: a resumed run keeps its own setting (0.003 in "), e.getMessage());
        double defaultRate = new TrainingConfig().learningRate();
        e = assertThrows(IllegalArgumentException.class, () -> runs.service.start(runs.config(dir.resolve("more"))
                .steps(2 * N).learningRate(defaultRate).resume(ck)));
        assertTrue(e.getMessage().startsWith("--lr: a resumed run keeps its own setting (0.003 in "), "a value set is"
                + " refused even when it is the default: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).warmup(7).resume(ck)));
        assertTrue(e.getMessage().startsWith("--warmup: a resumed run keeps its own setting (3 in "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).optimizer("sgd").resume(ck)));
        assertTrue(e.getMessage().startsWith("--optimizer: a resumed run keeps its own setting (adamw in "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(switch once it runs: use optimizer sgd)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).activation("gelu").resume(ck)));
        assertTrue(e.getMessage().startsWith("--activation: a resumed run keeps its own setting (era in "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(dir.resolve("more")).steps(2 * N).adapter("masked").resume(ck)));
        // the run had no adapter: the message says so in words, not "null"
        assertTrue(e.getMessage().startsWith("--adapter: a resumed run keeps its own setting (none in "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("more")), "nothing is written");
        // a warmup longer than the first run was cut to it: asking for it again is no change
        TrainingJob shortRun = runs.service.start(runs.config(dir.resolve("short")).steps(N).warmup(50).checkpointEvery(N));
        assertEquals(JobState.FINISHED, Runs.finish(shortRun).state());
        assertEquals(JobState.FINISHED, Runs.finish(runs.service.start(runs.config(dir.resolve("longer")).steps(N + 1)
                .warmup(50).resume(shortRun.lastCheckpoint()))).state());
        // a longer run stretches the cosine: the rate moves, and the run says so
        String notes = Files.readString(runs.service.jobs().get(runs.service.jobs().size() - 1).runDirectory()
                .resolve(MetricsLog.FILE));
        assertTrue(notes.contains("the cosine schedule now spans " + (N + 1) + " steps, not " + N + ": the rate at step "
                + (N + 1) + " is "), notes);
        // a folder that already holds a later checkpoint is refused at start, not after the work
        Path twice = dir.resolve("twice");
        assertEquals(JobState.FINISHED, Runs.finish(runs.service.start(runs.config(twice).steps(N + 1).resume(ck))).state());
        e = assertThrows(IllegalArgumentException.class,
                () -> runs.service.start(runs.config(twice).steps(N + 1).resume(ck)));
        assertTrue(e.getMessage().startsWith("--out: " + twice.toAbsolutePath() + " holds a checkpoint past step " + N
                + " (step-0000000" + (N + 1) + ")"), e.getMessage());
        // the same settings again are fine
        assertEquals(JobState.FINISHED,
                Runs.finish(runs.service.start(runs.config(dir.resolve("more")).steps(N + 1).resume(ck))).state());
    }

    private static List<Double> losses(List<StepEvent> events, String job, long after) {
        List<Double> l = new ArrayList<>();
        for (StepEvent e : events) {
            if (e.jobId().equals(job) && e.step() > after) {
                l.add(e.loss());
            }
        }
        return l;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return m;
    }
}

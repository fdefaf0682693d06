package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a run's tokenizer and starting weights come from, and runs measured in epochs. */
class SourcesTest {
    @TempDir
    Path dir;

    @Test
    void bpeIsTrainedOnTheDataOnceThenReusedFromTheCache() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob first = runs.service.start(runs.config(dir.resolve("first")).tokenizer("bpe:320").steps(2)
                .evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(first).state(), Runs.finish(first).message());
        assertEquals("bpe", first.tokenizer().kind());
        assertEquals(320, first.tokenizer().vocabSize());
        assertEquals(320, first.model().config().vocabSize());
        Path cached;
        try (Stream<Path> s = Files.list(dir.resolve(".vesper-cache"))) {
            cached = s.filter(p -> p.getFileName().toString().startsWith("tokenizer-bpe320-")).findFirst().orElseThrow();
        }
        FileTime written = Files.getLastModifiedTime(cached);

        TrainingJob second = runs.service.start(runs.config(dir.resolve("second")).tokenizer("bpe:320").steps(2)
                .evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(second).state());
        assertEquals(first.tokenizer().fingerprint(), second.tokenizer().fingerprint());
        assertEquals(written, Files.getLastModifiedTime(cached), "the cached tokenizer was reused");
        assertEquals(Files.readString(first.runDirectory().resolve("tokenizer.json")),
                Files.readString(second.runDirectory().resolve("tokenizer.json")));

        // a tokenizer.json path works too
        TrainingJob third = runs.service.start(runs.config(dir.resolve("third"))
                .tokenizer(first.runDirectory().resolve("tokenizer.json").toString()).steps(1).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(third).state());
        assertEquals(first.tokenizer().fingerprint(), third.tokenizer().fingerprint());
    }

    @Test
    void aCheckpointDirectoryAsModelFineTunesFromItsWeights() throws Exception {
        Runs runs = new Runs(dir);
        List<StepEvent> events = new CopyOnWriteArrayList<>();
        runs.listeners.add(events::add);
        List<String> messages = new CopyOnWriteArrayList<>();
        runs.listeners.add(new dev.vesper.api.train.TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
            }

            @Override
            public void onStateChange(JobStatus s) {
                messages.add(s.jobId() + ": " + s.message());
            }
        });
        TrainingJob base = runs.service.start(runs.config(dir.resolve("base")).steps(30).evalEvery(0));
        JobStatus baseEnd = Runs.finish(base);
        assertEquals(JobState.FINISHED, baseEnd.state());
        TrainingJob tuned = runs.service.start(runs.config(dir.resolve("tuned"))
                .model(base.lastCheckpoint().toString()).optimizer("velvet").steps(2).evalEvery(0));
        JobStatus end = Runs.finish(tuned);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        // the checkpoint's tokenizer, not the one --tokenizer would name
        assertTrue(messages.contains(tuned.id() + ": preparing the tokenizer (the checkpoint's)"), messages.toString());
        double firstTuned = events.stream().filter(e -> e.jobId().equals(tuned.id())).findFirst().orElseThrow().loss();
        double firstBase = events.get(0).loss();
        // it starts where the base run ended, not from a fresh initialisation
        assertTrue(firstTuned < firstBase - 0.5, "first loss " + firstTuned + " against a fresh " + firstBase);
        assertEquals(2, end.step());
        // trainer.json names the tokenizer the run used, the checkpoint's (copied into the run folder)
        TrainerState stored = TrainerState.parse(Files.readString(tuned.lastCheckpoint().resolve("trainer.json")),
                "trainer.json");
        assertEquals(tuned.runDirectory().resolve("tokenizer.json").toAbsolutePath().toString(),
                stored.config().get("tokenizer"));

        // an adapter over it trains without a word; over a new model, the run says what it does
        TrainingJob adapted = runs.service.start(runs.config(dir.resolve("adapted")).model(base.lastCheckpoint().toString())
                .adapter("masked").steps(1).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(adapted).state());
        TrainingJob fresh = runs.service.start(runs.config(dir.resolve("fresh")).adapter("masked").steps(1).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(fresh).state());
        String notice = "--adapter on a new model: only the adapter trains";
        assertFalse(Files.readString(adapted.runDirectory().resolve(MetricsLog.FILE)).contains(notice));
        assertTrue(Files.readString(fresh.runDirectory().resolve(MetricsLog.FILE)).contains(notice));

        // the checkpoint fixes the architecture: an override that would change it is refused at start, not ignored
        String ck = base.lastCheckpoint().toString();
        IllegalArgumentException wider = assertThrows(IllegalArgumentException.class, () -> runs.service.start(
                runs.config(dir.resolve("wider")).model(ck).modelOverride("layers", 2).steps(2).evalEvery(0)));
        assertTrue(wider.getMessage().startsWith("--config: layers=2 differs from "), wider.getMessage());
        // and it brings its own tokenizer: another kind is refused, not ignored
        IllegalArgumentException noBpe = assertThrows(IllegalArgumentException.class, () -> runs.service.start(
                runs.config(dir.resolve("bpe")).model(ck).tokenizer("bpe:300").steps(2).evalEvery(0)));
        assertTrue(noBpe.getMessage().startsWith("--tokenizer: the checkpoint given as --model brings its own"),
                noBpe.getMessage());
        // an activation it needs and nothing provides is said too
        runs.stack.activations.remove("era");
        IllegalArgumentException noEra = assertThrows(IllegalArgumentException.class, () -> runs.service.start(
                runs.config(dir.resolve("era")).model(ck).activation(null).steps(2)));
        assertTrue(noEra.getMessage().startsWith("--model: " + ck + " was trained with the activation 'era', which is"
                + " not installed"), noEra.getMessage());
        assertFalse(Files.exists(dir.resolve("wider")) || Files.exists(dir.resolve("bpe")) || Files.exists(dir.resolve("era")),
                "nothing is written");
        assertEquals(4, runs.service.jobs().size());
    }

    @Test
    void jsonRecordsAreReadFromTheNamedFieldAndBadLinesSkippedWhenAsked() throws Exception {
        Runs runs = new Runs(dir);
        String text = Files.readString(runs.corpus);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String chunk = text.substring(i * 800, (i + 1) * 800).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n");
            jsonl.append("{\"content\": \"").append(chunk).append("\"}\n");
            if (i == 7) {
                jsonl.append("{not json\n");
            }
        }
        Path data = Files.writeString(dir.resolve("records.jsonl"), jsonl.toString());

        TrainingJob strict = runs.service.start(runs.config(dir.resolve("strict")).data(data.toString())
                .dataField("content").steps(2).evalEvery(0));
        JobStatus failed = Runs.finish(strict);
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.message().contains("records.jsonl:9"), failed.message());
        assertTrue(failed.message().endsWith("(--skip-bad-lines counts and skips such lines)"), failed.message());

        TrainingJob lenient = runs.service.start(runs.config(dir.resolve("lenient")).data(data.toString())
                .dataField("content").skipBadLines(true).steps(2).evalEvery(0));
        JobStatus end = Runs.finish(lenient);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertTrue(Double.isFinite(end.loss()));
        // the run says what it left out, also when a second run finds the tokens in the cache
        TrainingJob cached = runs.service.start(runs.config(dir.resolve("lenient-again")).data(data.toString())
                .dataField("content").skipBadLines(true).steps(1).evalEvery(0));
        assertEquals(JobState.FINISHED, Runs.finish(cached).state());
        for (TrainingJob run : new TrainingJob[] {lenient, cached}) {
            String notes = Files.readString(run.runDirectory().resolve("metrics.jsonl"));
            assertTrue(notes.contains("skipped 1 bad line of " + data) && notes.contains("records.jsonl:9"), notes);
        }

        // a field no record has: every line is bad, and the run says so rather than failing for want of windows
        TrainingJob noneLeft = runs.service.start(runs.config(dir.resolve("none-left")).data(data.toString())
                .dataField("nope").skipBadLines(true).steps(2).evalEvery(0));
        JobStatus empty = Runs.finish(noneLeft);
        assertEquals(JobState.FAILED, empty.state());
        assertTrue(empty.message().contains("all 41 lines were bad and skipped"), empty.message());
        // the same with a BPE tokenizer, which would have been trained on no text at all
        TrainingJob bpeNoText = runs.service.start(runs.config(dir.resolve("none-left-bpe")).data(data.toString())
                .tokenizer("bpe:300").dataField("nope").skipBadLines(true).steps(2).evalEvery(0));
        JobStatus bpeEnd = Runs.finish(bpeNoText);
        assertEquals(JobState.FAILED, bpeEnd.state());
        assertTrue(bpeEnd.message().contains("no text to train a tokenizer on: all 41 lines were bad and skipped"),
                bpeEnd.message());

        TrainingJob wrongField = runs.service.start(runs.config(dir.resolve("wrong")).data(data.toString())
                .steps(2).evalEvery(0));
        JobStatus noText = Runs.finish(wrongField);
        assertEquals(JobState.FAILED, noText.state());
        assertTrue(noText.message().contains("records.jsonl:1") && noText.message().contains("field \"text\""),
                noText.message());
    }

    @Test
    void epochsSetTheLengthOfTheRun() throws Exception {
        Runs runs = new Runs(dir);
        TrainingJob job = runs.service.start(runs.config(dir.resolve("run")).steps(0).epochs(1).batch(16).seq(32)
                .accumulate(4).evalEvery(0).checkpointEvery(0));
        JobStatus end = Runs.finish(job);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertTrue(end.totalSteps() > 1 && end.totalSteps() < 100, "steps of one epoch: " + end.totalSteps());
        assertEquals(end.totalSteps(), end.step());
        assertEquals(1, end.epoch());
    }
}

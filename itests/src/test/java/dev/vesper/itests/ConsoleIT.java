package dev.vesper.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaHeads;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The vesper commands, driven through a Gogo CommandSession in the real runtime. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleIT {
    /** A model small enough to train in a test, on bytes, for a few steps. */
    private static final String SMALL = "--config layers=1,heads=2,d_model=32,context=64 --tokenizer byte "
            + "--batch 2 --seq 32 --eval-every 2 --checkpoint-every 0 --seed 7";

    @Inject
    private CommandProcessor processor;

    @Inject
    private MetaHeads heads;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void infoListsBackendsAndServices() throws Exception {
        String text = run("vesper:info").text;
        assertTrue(text, text.contains("cpu (ranking 0)"));
        for (String row : List.of("OptimizerFactory +adamw", "OptimizerFactory +velvet", "Activation +era",
                "TrainingService", "DataService", "ModelFactory", "OptimizerBenchmark", "ModelEvaluator")) {
            assertTrue("vesper:info lists " + row + ":\n" + text, java.util.regex.Pattern.compile(row).matcher(text).find());
        }
    }

    @Test
    public void cudaSaysWhetherTheGpuComputesAndWhy() throws Exception {
        String status = run("vesper:cuda").text;
        boolean inUse = status.startsWith("CUDA backend: in use: ");
        assertTrue(status, inUse || status.startsWith("CUDA backend: not in use: "));
        // what it says matches what is registered: a cuda backend exactly when it is in use
        assertEquals(status, inUse, run("vesper:info").text.contains("cuda (ranking 100)"));
    }

    @Test
    public void modelsListsExactParameterCounts() throws Exception {
        String text = run("vesper:models --vocab 4096").text;
        assertTrue(text, text.contains("tiny    6       4      256      1024  256      4096   5,773,824"));
    }

    @Test
    public void optimizersAndActivationsNameTheirBundles() throws Exception {
        assertTrue(run("vesper:optimizers").text.contains("velvet  dev.vesper.vesper-optimizer-velvet"));
        assertTrue(run("vesper:activations").text.contains("silu  dev.vesper.vesper-activation-silu"));
    }

    @Test
    public void trainsInTheForegroundThenGeneratesSavesAndLoads() throws Exception {
        Path out = Files.createTempDirectory("vesper-console-it-");
        Result train = run("vesper:train --wait --steps 4 --optimizer adamw " + SMALL + " --out " + out.resolve("run"));
        assertTrue(train.text, train.text.contains("finished after 4 steps"));
        assertTrue(train.text, train.text.contains("sample (temperature 0.8, top-k 40):"));
        assertTrue(Files.exists(out.resolve("run").resolve("chart.png")));

        JobStatus status = (JobStatus) run("vesper:status").value;
        assertEquals(JobState.FINISHED, status.state());
        assertEquals(4, status.step());
        assertTrue(Double.isFinite(status.loss()));

        String generated = run("vesper:generate --max-tokens 5 --seed 1 Once upon").text;
        assertTrue(generated, generated.startsWith("Once upon"));

        Path saved = out.resolve("saved");
        assertTrue(run("vesper:save " + saved).text.contains("saved"));
        assertTrue(Files.exists(saved.resolve("model.safetensors")));
        assertTrue(Files.exists(saved.resolve("tokenizer.json")));
        byte[] weights = Files.readAllBytes(saved.resolve("model.safetensors"));
        assertFails("vesper:save " + saved, saved + " exists");
        assertFails("vesper:save " + out.resolve("typo/saved"), "save: no folder " + out.resolve("typo"));
        assertFails("vesper:export " + out.resolve("typo/model.onnx"), "export: no folder " + out.resolve("typo"));
        assertFalse(Files.exists(out.resolve("typo")));
        assertArrayEquals(weights, Files.readAllBytes(saved.resolve("model.safetensors")));
        assertTrue(run("vesper:load " + saved).text.contains("loaded"));
        Path onnx = out.resolve("model.onnx");
        String exported = run("vesper:export " + onnx).text;
        assertTrue(exported, exported.contains("exported") && exported.contains("(onnx,"));
        assertTrue(Files.size(onnx) > 4L * 32 * 32);
        assertFails("vesper:export " + onnx, onnx + " exists");
        assertFails("vesper:export --format tflite " + out.resolve("model.tflite"),
                "no exporter for 'tflite'; installed: [onnx]");
        assertFails("vesper:export " + out.resolve("model.txt"), "no exporter writes '.txt' files; installed: [onnx]");
        assertFalse(Files.exists(out.resolve("model.txt")));
        Path named = out.resolve("model.bin");
        assertTrue("--format overrides the name", run("vesper:export --format ONNX " + named).text.contains("(onnx,"));
        assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(named));
        String again = run("vesper:generate --max-tokens 5 --temperature 0 Once upon").text;
        assertTrue(again, again.startsWith("Once upon"));
        assertFails("vesper:generate --max-tokens 5 Once --temprature 3", "--temprature");

        // a tokenizer.json of another vocabulary beside the model is refused at load, not at the first odd id
        Path mixed = Files.createDirectories(out.resolve("mixed"));
        Files.copy(saved.resolve("model.safetensors"), mixed.resolve("model.safetensors"));
        run("vesper:tokenizer train --data builtin:stories --vocab 300 --out " + mixed.resolve("tokenizer.json"));
        assertFails("vesper:load " + mixed, mixed.resolve("tokenizer.json") + " has ");

        // two turns typed, then /bye: each answer is one line after its "vesper> "
        Result chat = run("vesper:chat --max-tokens 8 --seed 3", "Hello there\nHow are you?\n/bye\n");
        assertTrue(chat.text, chat.text.contains("2 turns"));
        String[] answers = chat.text.split("vesper> ", -1);
        assertEquals(chat.text, 3, answers.length);
        for (int i = 1; i < answers.length; i++) {
            // the answer's line, without its leading blanks, then the next prompt
            assertTrue(chat.text, answers[i].matches("(?s)(\\S[^\\n]*)?\nyou> .*"));
        }

        // load's refusals of a folder that is not a checkpoint name one to load
        Path runs = Files.createDirectories(out.resolve("runs"));
        Files.move(out.resolve("run"), runs.resolve("run"));
        Path inRun = runs.resolve("run").resolve("checkpoints").resolve("step-00000004");
        assertFails("vesper:load " + runs, runs + " holds run folders; load a checkpoint of one of them, e.g. " + inRun);
        assertFails("vesper:load " + runs.resolve("run"), runs.resolve("run") + " is a run folder; load one of its"
                + " checkpoints, e.g. " + inRun);
    }

    @Test
    public void controlsABackgroundJobAndSwapsItsOptimizer() throws Exception {
        Path out = Files.createTempDirectory("vesper-console-bg-");
        String started = run("vesper:train --background --steps 4000 --optimizer adamw " + SMALL + " --out " + out).text;
        assertTrue(started, started.contains("started in the background"));
        JobStatus paused = (JobStatus) run("vesper:pause").value;
        String id = paused.jobId();
        waitFor(id, JobState.PAUSED);
        assertFails("vesper:use optimizer adamW", "optimizer 'adamW' is not installed; installed: [");
        assertTrue(run("vesper:use optimizer velvet").text.contains("switches optimizer to velvet"));
        run("vesper:resume");
        long deadline = System.currentTimeMillis() + 60_000;
        JobStatus s = (JobStatus) run("vesper:status").value;
        while (!"velvet".equals(s.optimizer()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            s = (JobStatus) run("vesper:status").value;
        }
        assertEquals("velvet", s.optimizer());
        assertFails("vesper:resume", "resume: job " + id + " is not paused (RUNNING");
        // a running job answers at its next step: what it did, not a promise
        String same = run("vesper:use optimizer velvet").text;
        assertTrue(same, same.contains("optimizer 'velvet' is already in use at step"));
        String switched = run("vesper:use optimizer adamw").text;
        assertTrue(switched, switched.contains("optimizer switched from 'velvet' to 'adamw' at step"));
        while (s.step() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            s = (JobStatus) run("vesper:status").value;
        }
        String chart = run("vesper:chart " + id).text;
        assertTrue(chart, chart.startsWith("job " + id + " at step ") && chart.contains(out.resolve("chart.png").toString()));
        assertTrue(Files.size(out.resolve("chart.png")) > 1000);
        assertFails("vesper:chart 999", "no job '999'");
        assertFails("vesper:stop --job " + id + " " + id, "name one job: a job id, or --job <id>");
        run("vesper:stop " + id);   // the id as vesper:jobs lists it, without --job
        JobStatus end = waitFor(id, JobState.STOPPED);
        assertFails("vesper:stop " + id, "cannot stop: job " + id + " has ended (STOPPED)");
        assertTrue(end.step() < 4000);
        @SuppressWarnings("unchecked")
        List<JobStatus> jobs = (List<JobStatus>) run("vesper:jobs").value;
        assertTrue(jobs.stream().anyMatch(j -> j.jobId().equals(id)));
    }

    @Test
    public void aModelLoadedWhileAJobRunsStaysAndALoadSaysWhatItLacks() throws Exception {
        Path out = Files.createTempDirectory("vesper-console-keep-");
        run("vesper:train --wait --steps 2 --optimizer adamw --activation relu " + SMALL + " --out " + out.resolve("first"));
        Path checkpoint = out.resolve("first").resolve("checkpoints").resolve("step-00000002");
        String started = run("vesper:train --background --steps 4000 --optimizer adamw " + SMALL + " --out " + out.resolve("bg")).text;
        String id = started.replaceAll("(?s)^job (\\S+) started.*", "$1");
        assertTrue(run("vesper:load " + checkpoint).text.contains("loaded " + checkpoint));
        run("vesper:stop " + id);
        waitFor(id, JobState.STOPPED);
        Thread.sleep(1000);   // the hand-over runs as the job completes, just after its state is STOPPED
        String meta = run("vesper:meta").text;
        assertTrue(meta, meta.contains("the loaded model (" + checkpoint + ")"));

        Bundle relu = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().endsWith("activation-relu"))
                .findFirst().orElseThrow();
        relu.stop();
        try {
            String loaded = run("vesper:load " + checkpoint).text;
            assertTrue(loaded, loaded.contains("note: its activation 'relu' is not installed, so generate and chat will fail"));
        } finally {
            relu.start();
        }
        assertFalse(run("vesper:load " + checkpoint).text.contains("note:"));

        // with nothing loaded in between, a job that ends does become the loaded model
        String next = run("vesper:train --background --steps 3 --optimizer adamw " + SMALL + " --out " + out.resolve("next")).text;
        String nextId = next.replaceAll("(?s)^job (\\S+) started.*", "$1");
        waitFor(nextId, JobState.FINISHED);
        long deadline = System.currentTimeMillis() + 10_000;
        String now = run("vesper:meta").text;
        while (!now.contains("the loaded model (job " + nextId + ")") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = run("vesper:meta").text;
        }
        assertTrue(now, now.contains("the loaded model (job " + nextId + ")"));
    }

    @Test
    public void evalMeasuresASavedCheckpoint() throws Exception {
        Path out = Files.createTempDirectory("vesper-eval-it-");
        run("vesper:train --wait --steps 2 " + SMALL + " --out " + out.resolve("run"));
        run("vesper:save " + out.resolve("model"));
        Result r = run("vesper:eval --checkpoint " + out.resolve("model") + " --data builtin:stories --seq 32 --batch 2 --batches 2");
        assertTrue(r.text, r.text.contains("perplexity"));
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) r.value.getClass().getMethod("figures").invoke(r.value);
        assertEquals(2L * 2 * 32, ((Number) figures.get("tokens")).longValue());
        double loss = (Double) figures.get("loss");
        assertTrue("loss " + loss, loss > 0 && loss < 7);

        // without --checkpoint: the model just trained, which is what was saved, so the same loss
        Result inMemory = run("vesper:eval --data builtin:stories --seq 32 --batch 2 --batches 2");
        assertTrue(inMemory.text, inMemory.text.startsWith("model       job "));
        @SuppressWarnings("unchecked")
        Map<String, Object> same = (Map<String, Object>) inMemory.value.getClass().getMethod("figures").invoke(inMemory.value);
        assertEquals(loss, (Double) same.get("loss"), 1e-9);

        // a sample of a long source says so; a short file is read whole, each token once, whatever the batch
        assertTrue(inMemory.text, inMemory.text.contains("(a sample: 2 of the "));
        Path notes = Files.writeString(out.resolve("notes.txt"), "Once upon a time there was a fox. ".repeat(12));
        // the byte tokenizer: a token per byte, then end-of-text; every token is a target but the first
        long targets = Files.size(notes);
        double[] losses = new double[2];
        int k = 0;
        for (String batch : new String[] {"1", "5"}) {
            Result whole = run("vesper:eval --data " + notes + " --seq 32 --batch " + batch + " --batches 1000");
            assertTrue(whole.text, whole.text.contains("(all of the data)"));
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) whole.value.getClass().getMethod("figures").invoke(whole.value);
            assertEquals(targets, ((Number) f.get("tokens")).longValue());
            losses[k++] = (Double) f.get("loss");
        }
        assertEquals(losses[0], losses[1], 1e-6);

        // JSON Lines with the text in another field, and a bad line skipped: the same text, the same figures
        Path records = Files.writeString(out.resolve("notes.jsonl"), "{\"body\": \"" + Files.readString(notes) + "\"}\n{oops\n");
        assertFails("vesper:eval --data " + records + " --seq 32 --batch 5 --batches 1000", "notes.jsonl:1:1");
        Result fielded = run("vesper:eval --data " + records + " --field body --skip-bad-lines --seq 32 --batch 5 --batches 1000");
        @SuppressWarnings("unchecked")
        Map<String, Object> ff = (Map<String, Object>) fielded.value.getClass().getMethod("figures").invoke(fielded.value);
        assertEquals(targets, ((Number) ff.get("tokens")).longValue());
        assertEquals(losses[0], (Double) ff.get("loss"), 1e-6);
        assertTrue(fielded.text, fielded.text.contains("skipped     1 bad line (--skip-bad-lines); the first: " + records + ":2:"));

        // a window longer than the context is cut to it, and the result says so
        Result longer = run("vesper:eval --data builtin:stories --seq 1000 --batch 1 --batches 1");
        assertTrue(longer.text, longer.text.contains("window      64 tokens (the model's context; --seq asked for 1000)"));
    }

    @Test
    public void benchComparesAdamWAndVelvetOnTheSameRun() throws Exception {
        Path out = Files.createTempDirectory("vesper-bench-it-");
        Result r = run("vesper:bench --steps 3 --eval-every 3 --config layers=1,heads=2,d_model=32,context=64 "
                + "--tokenizer byte --batch 2 --seq 32 --out " + out);
        assertTrue(r.text, r.text.contains("FINAL LOSS") && r.text.contains("CONVERGENCE STEP") && r.text.contains("MS/STEP"));
        assertTrue(r.text, r.text.contains("adamw") && r.text.contains("velvet"));
        assertTrue(Files.size(out.resolve("bench.png")) > 0);
        String json = Files.readString(out.resolve("bench.json"));
        assertTrue(json, json.contains("\"final_loss\"") && json.contains("\"ms_per_step\""));
        @SuppressWarnings("unchecked")
        List<JobStatus> jobs = (List<JobStatus>) run("vesper:jobs").value;
        assertTrue("the untimed warm-up is not listed: " + jobs,
                jobs.stream().noneMatch(j -> String.valueOf(j.message()).contains(".warmup")));
        // a comparison refused, early or once its warm-up starts, leaves no folder behind
        Path refused = out.resolveSibling(out.getFileName() + "-refused");
        assertFails("vesper:bench --steps 0 --out " + refused, "--steps must be > 0, got 0");
        assertFails("vesper:bench --data /no/such/file.txt --out " + refused, "/no/such/file.txt");
        assertFails("vesper:bench --model huge --out " + refused, "unknown model 'huge'");
        assertFalse(Files.exists(refused));
    }

    @Test
    public void metaHeadTrainsOnTheLoadedModelAssessesAndEndsGeneration() throws Exception {
        Path out = Files.createTempDirectory("vesper-meta-it-");
        run("vesper:train --wait --steps 4 " + SMALL + " --out " + out.resolve("run"));
        assertFails("vesper:meta assess Once", "the loaded model has no meta head");

        Path file = out.resolve("meta.safetensors");
        Result trained = run("vesper:meta train --steps 12 --batch 2 --seq 32 --out " + file);
        assertTrue(trained.text, trained.text.contains("calibration error (ECE)") && trained.text.contains("saved to " + file));
        assertTrue(Files.size(file) > 4L * 256 * 32);
        assertFails("vesper:meta train --steps 1 --out " + file, file + " exists");
        assertTrue(run("vesper:meta").text.contains("trained     confidence,terminate on builtin:stories, 12 steps"));
        Path saved = out.resolve("saved");
        assertTrue(run("vesper:save " + saved).text.contains("with its meta head (meta.safetensors)"));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(saved.resolve("meta.safetensors")));
        String reloaded = run("vesper:load " + saved).text;
        assertTrue(reloaded, reloaded.contains("with its meta head"));
        assertTrue(run("vesper:meta").text.contains("meta head   " + saved.resolve("meta.safetensors")));
        String table = run("vesper:meta assess Once upon").text;
        assertTrue(table, table.contains("after token") && table.contains("\"O\"") && table.contains("\"n\"") && table.contains("terminate"));

        // a head that is sure of everything: the regulator ends the text as soon as --min-tokens allows
        MetaHead sure = heads.create(32, 1);
        sure.parameters().stream().filter(p -> p.name().equals("meta.confidence.bias")).findFirst().orElseThrow()
                .value().set(0, 6f);
        Path sureFile = out.resolve("sure.safetensors");
        heads.write(sure, sureFile);
        assertTrue(run("vesper:meta load " + sureFile).text.contains("attached the meta head " + sureFile));
        Result ended = run("vesper:generate --regulate --min-tokens 3 --max-tokens 30 --temperature 0 Once");
        assertTrue(ended.text, ended.text.contains("(the meta head ended it after 3 tokens: confidence 1.00)"));
        Result whole = run("vesper:generate --max-tokens 30 --temperature 0 Once");
        String cut = ended.text.substring(0, ended.text.indexOf("(the meta head")).stripTrailing();
        assertTrue(whole.text, !whole.text.contains("meta head") && whole.text.startsWith(cut)
                && whole.text.stripTrailing().length() > cut.length());

        heads.write(heads.create(48, 1), out.resolve("wide.safetensors"));
        assertFails("vesper:meta load " + out.resolve("wide.safetensors"), "width 48; the loaded model's d_model is 32");
        assertFails("vesper:meta load " + out.resolve("run/tokenizer.json"), "run/tokenizer.json");
        assertFails("vesper:meta train --step 5", "meta: unknown option --step");
        assertFails("vesper:meta --steps x train", "--steps expects a whole number, got 'x'");
        assertFails("vesper:meta --steps 0 train", "--steps must be > 0, got 0");
        assertFails("vesper:meta frobnicate", "meta: expected status, train, assess, load or save, got 'frobnicate'");
        assertFails("vesper:meta load", "meta load: name one file");
        assertFails("vesper:meta --out " + out.resolve("no/such/dir/m.safetensors") + " train", "--out: no folder");
        assertFails("vesper:generate --regulate --min-tokens -1 Once", "--min-tokens must be >= 0, got -1");
        assertFails("vesper:generate --min-tokens 3 Once", "generate: --min-tokens applies with --regulate only");
        assertFails("vesper:chat --min-tokens 3", "chat: --min-tokens applies with --regulate only");
        assertTrue(run("vesper:chat --regulate").text.contains("0 turns"));
        assertFails("vesper:meta --steps 5 assess Once", "meta assess: --steps applies to meta train only");
        assertFails("vesper:meta save " + out.resolve("no/such/dir/m.safetensors"), "meta save: no folder");
        assertFails("vesper:meta load " + saved, "is a folder; name the meta head file, " + saved.resolve("meta.safetensors"));

        // the error classes train on labelled texts, a tenth of them held out
        StringBuilder jsonl = new StringBuilder();
        String[] errors = {"factual", "logical", "incomplete", "none"};
        for (int i = 0; i < 12; i++) {
            jsonl.append("{\"text\": \"Once upon a time ").append(i).append("\", \"error\": \"").append(errors[i % 4])
                    .append("\"}\n");
        }
        Path labels = Files.writeString(out.resolve("labels.jsonl"), jsonl);
        String labelled = run("vesper:meta train --steps 6 --batch 2 --seq 32 --labels " + labels).text;
        assertTrue(labelled, labelled.contains("error classes: trained on 11 labelled texts; scored on 1 held out")
                && labelled.contains("error loss") && labelled.contains("error label agreement"));
        assertTrue(run("vesper:meta").text.contains("error classes trained on 11 labelled texts of " + labels));
        Files.writeString(labels, "{\"text\": \"Once\", \"error\": \"none\"}\n{\"text\": \"Once\", \"error\": \"wrong\"}\n");
        assertFails("vesper:meta train --steps 1 --labels " + labels, labels + ":2: \"error\" is 'wrong'");
        assertFails("vesper:meta train --labels " + out.resolve("none.jsonl"), "--labels " + out.resolve("none.jsonl") + ": no such file");
        assertFails("vesper:meta train --labels " + out, "--labels " + out + " is a folder; name a JSON Lines file");
    }

    @Test
    public void badInputGivesOneClearMessage() throws Exception {
        assertFails("vesper:train --model huge --steps 1 " + SMALL, "unknown model 'huge'");
        assertFails("vesper:train --optimizer nosuch --steps 1 " + SMALL, "nosuch");
        assertFails("vesper:train --wait --data /no/such/file.jsonl --steps 1 " + SMALL, "/no/such/file.jsonl");
        assertFails("vesper:load /no/such/checkpoint", "/no/such/checkpoint");
        Path notes = Files.writeString(Files.createTempFile("vesper-notes-", ".txt"), "not a model");
        assertFails("vesper:load " + notes, notes + " is a file; a checkpoint is a folder holding model.safetensors");
        assertFails("vesper:use nonsense x", "expected 'optimizer' or 'activation'");
        assertFails("vesper:generate --bogus 1 hello", "generate: unknown option --bogus");
        assertFails("vesper:train --steps many", "--steps expects a whole number");
        assertFails("vesper:eval --checkpoint /no/such/dir --data builtin:stories", "/no/such/dir");
        // numbers are parsed by the commands, which name the option, not by Gogo's coercion
        assertFails("vesper:generate --max-tokens abc hi", "--max-tokens expects a whole number, got 'abc'");
        assertFails("vesper:generate --temperature warm hi", "--temperature expects a number, got 'warm'");
        assertFails("vesper:eval --seq x --data builtin:stories", "--seq expects a whole number, got 'x'");
        assertFails("vesper:models --vocab lots", "--vocab expects a whole number, got 'lots'");
        assertFails("vesper:generate --max-tokens -5 hi", "--max-tokens must be >= 0, got -5");
        assertFails("vesper:generate --top-p 2 hi", "--top-p must be in (0, 1], got 2.0");
        // wrong words reach the command, which names them, not Gogo's "Cannot coerce train(Token, Token) ..."
        assertFails("vesper:train --stpes 5", "train: unknown option --stpes; did you mean --steps? (see: help vesper:train)");
        assertFails("vesper:jobs --all", "jobs: unknown option --all");
        assertFails("vesper:info x", "info: unexpected argument 'x'");
        assertFails("vesper:load", "load: name the checkpoint folder");
        assertFails("vesper:load a b", "load: expected one checkpoint folder, got 2 words: a b");
        assertFails("vesper:use optimizer", "use: expected 'optimizer <name>' or 'activation <name>'");
        assertFails("vesper:data inspect", "data: name the source");
        assertFails("vesper:tokenizer", "tokenizer: expected train, encode or decode (see: help vesper:tokenizer)");
        assertFails("vesper:train --steps 5 --epochs 2", "--steps and --epochs: give one");
        assertFails("vesper:train --epochs 0", "--epochs must be > 0, got 0");
        // a name that no bundle provides: the shell prints e.toString(), which must not be a class name
        for (String line : new String[] {"nosuchcommand 1 2", "vesper:nosuch"}) {
            try {
                run(line);
                fail(line + " should fail");
            } catch (Exception e) {
                String name = line.split(" ")[0];
                assertEquals("unknown command '" + name + "'; type help to list the commands", e.toString());
            }
        }
        try {
            run("trian");
            fail("trian should fail");
        } catch (Exception e) {
            assertEquals("unknown command 'trian'; did you mean train?", e.toString());
        }
        assertFails("vesper:trian --steps 5", "unknown command 'vesper:trian'; did you mean vesper:train?");
        assertFails("vesper:train --step 5", "train: unknown option --step; did you mean --steps?");
        assertFails("vesper:train --preset small", "train: unknown option --preset; did you mean --model? (preset");
        assertFails("vesper:help trian", "help: unknown command 'trian'; did you mean train?");
    }

    @Test
    public void helpListsEveryVesperCommandWithWhatItDoes() throws Exception {
        String list = run("vesper:help").text;
        assertTrue(list, list.matches("(?s).*\\n  train +train a model.*"));
        assertTrue(list, list.matches("(?s).*\\n  cuda +say whether the GPU computes.*"));
        assertTrue(list, list.matches("(?s).*\\n  help +list Vesper's commands.*"));
        String one = run("vesper:help load").text;
        assertTrue(one, one.startsWith("load - load a checkpoint folder") && one.contains("usage: load <checkpoint folder>"));
        String generate = run("vesper:help generate").text;
        assertTrue(generate, generate.matches("(?s).*\\n    --temperature <value> +sampling temperature \\(0: greedy\\) \\(default 0\\.8\\)\\n.*"));
        assertTrue(generate, generate.matches("(?s).*  flags:\\n    --regulate +let the model's meta head.*"));
        String train = run("vesper:help train").text;
        assertTrue(train, train.matches("(?s).*\\n    --steps <value> +optimizer steps \\(default 300\\)\\n.*"));
        assertTrue(train, train.matches("(?s).*\\n    --optimizer <value> +optimizer name \\(see vesper:optimizers\\) \\(default velvet\\)\\n.*"));
        assertTrue("another scope's command: Gogo's help", run("vesper:help felix:lb").text.contains("scope: felix"));
        assertFails("vesper:help load save", "help: name one command");
        assertFails("vesper:help 'load; felix:lb'", "help: name one command");
        assertFails("vesper:help tr", "help: unknown command 'tr'; help lists the commands");
        assertFails("vesper:exit 300", "exit: takes nothing, or a status from 0 to 255");
    }

    @Test
    public void tokenizerEncodesAndDecodes() throws Exception {
        Path dir = Files.createTempDirectory("vesper-tok-");
        Path json = dir.resolve("tokenizer.json");
        assertTrue(run("vesper:tokenizer --vocab 300 --out " + json + " train").text.contains("300-token BPE"));
        assertFails("vesper:tokenizer --vocab 300 --out " + json + " train", json + " exists");
        assertFails("vesper:tokenizer --out " + dir.resolve("no/such/folder/t.json") + " train", "--out: no folder");
        @SuppressWarnings("unchecked")
        List<Integer> ids = (List<Integer>) run("vesper:tokenizer --tokenizer " + json + " encode 'Hello, Vesper!'").value;
        assertTrue(ids.size() > 0);
        StringBuilder idText = new StringBuilder();
        for (int id : ids) {
            idText.append(id).append(' ');
        }
        assertEquals("Hello, Vesper!", run("vesper:tokenizer --tokenizer " + json + " decode " + idText).value);
        assertFails("vesper:tokenizer --tokenizer " + json + " --vocab 5 encode hi",
                "tokenizer encode: --data, --vocab and --out are for tokenizer train");
        assertFails("vesper:tokenizer --tokenizer " + json + " train", "tokenizer train: --tokenizer is for encode and decode");
    }

    @Test
    public void dataInspectCountsTheBuiltInCorpus() throws Exception {
        Result r = run("vesper:data inspect builtin:stories");
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) r.value.getClass().getMethod("figures").invoke(r.value);
        assertTrue((Long) figures.get("bytes") >= 2_000_000L);
        assertTrue((Long) figures.get("documents") > 100);
        assertEquals(figures.get("bytes"), figures.get("tokens"));
    }

    private JobStatus waitFor(String id, JobState state) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JobStatus s = (JobStatus) run("vesper:status --job " + id).value;
            if (s.state() == state) {
                return s;
            }
            Thread.sleep(100);
        }
        fail("job " + id + " never reached " + state);
        return null;
    }

    private void assertFails(String line, String expected) {
        try {
            run(line);
            fail(line + " should fail");
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
                message += " / " + t.getMessage();
            }
            assertTrue(line + " failed with: " + message, message.contains(expected));
        }
    }

    private Result run(String line) throws Exception {
        return run(line, "");
    }

    /** Runs a command line with {@code input} as what the user types. */
    private Result run(String line, String input) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, out)) {
            Object value = session.execute(line);
            if (value != null) {
                out.println(session.format(value, Converter.INSPECT));
            }
            out.flush();
            return new Result(value, bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private static final class Result {
        final Object value;
        final String text;

        Result(Object value, String text) {
            this.value = value;
            this.text = text;
            assertNotNull(text);
        }
    }
}

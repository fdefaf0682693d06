package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The loaded model outlives the model bundle: after felix:update of VesperLM, generate samples the same
 * text from the same weights, with the new bundle's code, instead of failing in the old one (whose
 * activation registry emptied as its component went away).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelUpdateIT {
    private static final String MODEL_BUNDLE = "dev.vesper.vesper-model";
    private static final String FACTORY = "(objectClass=" + ModelFactory.class.getName() + ")";
    private static final String GENERATE = "vesper:generate --max-tokens 12 --temperature 0 Once upon";

    @Inject
    private CommandProcessor processor;

    @Inject
    private TrainingService trainer;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void theLoadedModelGeneratesAfterTheModelBundleIsUpdated() throws Exception {
        Path out = Files.createTempDirectory("vesper-model-update-it-").resolve("run");
        TrainingJob job = trainer.start(new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 32).modelOverride("heads", 2)
                .modelOverride("context", 32).optimizer("adamw").data("builtin:stories").tokenizer("byte")
                .steps(10).batch(2).seq(16).evalEvery(10).evalBatches(1).checkpointEvery(10).seed(3).out(out));
        JobStatus end = job.completion().get(120, TimeUnit.SECONDS);
        assertEquals(end.message(), JobState.FINISHED, end.state());
        assertNotNull(job.lastCheckpoint());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object loaded = session.execute("vesper:load " + job.lastCheckpoint());
            assertTrue(String.valueOf(loaded), String.valueOf(loaded).startsWith("loaded "));
            String before = generate(session, bytes);

            BundleUpdates.updateAndAwait(context, MODEL_BUNDLE, FACTORY);

            assertEquals("the same weights sample the same text", before, generate(session, bytes));
        }
    }

    @Test
    public void aBackgroundJobStoppedByTheModelBundleUpdateLeavesAModelThatGenerates() throws Exception {
        // the update stops the trainer, and the job with it: the stopped job's model, which the console takes
        // over at its end, was made by the factory that is going away
        Path out = Files.createTempDirectory("vesper-model-update-it-").resolve("background");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            session.execute("vesper:train --background --model tiny --config layers=1,d_model=32,heads=2,context=32"
                    + " --optimizer adamw --data builtin:stories --tokenizer byte --steps 100000 --batch 2 --seq 16"
                    + " --eval-every 0 --checkpoint-every 0 --seed 3 --out " + out);
            TrainingJob job = trainer.jobs().get(trainer.jobs().size() - 1);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (job.status().step() < 2) {
                if (System.nanoTime() > deadline) {
                    fail("the job made no two steps within 60 s: " + job.status());
                }
                Thread.sleep(20);
            }
            BundleUpdates.updateAndAwait(context, MODEL_BUNDLE, FACTORY);
            JobStatus end = job.completion().get(60, TimeUnit.SECONDS);
            assertEquals(end.message(), JobState.STOPPED, end.state());
            String source = "job " + job.id();
            while (!loadedModel(session).contains("(" + source + ")")) {
                if (System.nanoTime() > deadline) {
                    fail("the stopped job's model was not loaded: " + loadedModel(session));
                }
                Thread.sleep(20);
            }
            String text = generate(session, bytes);
            assertTrue(text, text.contains("Once upon"));
        }
    }

    @Test
    public void aJobWaitedForInTheForegroundAndStoppedByTheModelBundleUpdateEndsClearlyAndItsModelGenerates()
            throws Exception {
        // train --wait hands the job's model over at its end (a stopped run prints no sample): a model made by the
        // factory that the update takes away, whose activation registry empties with it
        Path out = Files.createTempDirectory("vesper-model-update-it-").resolve("foreground");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            int before = trainer.jobs().size();
            CompletableFuture<Object> train = CompletableFuture.supplyAsync(() -> execute(session,
                    "vesper:train --wait --model tiny --config layers=1,d_model=32,heads=2,context=32"
                    + " --optimizer adamw --data builtin:stories --tokenizer byte --steps 100000 --batch 2 --seq 16"
                    + " --eval-every 0 --checkpoint-every 0 --seed 3 --out " + out));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (trainer.jobs().size() == before || trainer.jobs().get(before).status().step() < 2) {
                if (System.nanoTime() > deadline || train.isDone()) {
                    fail("the foreground job made no two steps within 60 s: " + bytes.toString(StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
            TrainingJob job = trainer.jobs().get(before);
            BundleUpdates.updateAndAwait(context, MODEL_BUNDLE, FACTORY);

            Object result;
            try {
                result = train.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("train --wait failed: " + e.getCause() + "\n" + bytes.toString(StandardCharsets.UTF_8), e);
            }
            String said = bytes.toString(StandardCharsets.UTF_8) + result;
            assertEquals(said, JobState.STOPPED, job.completion().get().state());
            assertTrue(said, said.contains("the trainer stopped, as a bundle it uses was stopped, updated or refreshed"));
            assertFalse(said, said.contains("no activation service"));
            assertFalse(said, said.contains("Exception"));
            assertTrue("the job's model is the loaded one: " + loadedModel(session),
                    loadedModel(session).contains("(job " + job.id() + ")"));
            String text = generate(session, bytes);
            assertTrue(text, text.contains("Once upon"));
            // the job's final checkpoint holds the weights it stopped with
            session.execute("vesper:load " + job.lastCheckpoint());
            assertEquals("the stopped job's weights generate", generate(session, bytes), text);
        }
    }

    private static Object execute(CommandSession session, String command) {
        try {
            return session.execute(command);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String generate(CommandSession session, ByteArrayOutputStream bytes) {
        bytes.reset();
        try {
            Object result = session.execute(GENERATE);
            return bytes.toString(StandardCharsets.UTF_8) + result;
        } catch (Exception e) {
            throw new AssertionError(GENERATE + " failed: " + e, e);
        }
    }

    /** vesper:meta's answer, which names the loaded model without running it. */
    private static String loadedModel(CommandSession session) {
        try {
            return String.valueOf(session.execute("vesper:meta"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}

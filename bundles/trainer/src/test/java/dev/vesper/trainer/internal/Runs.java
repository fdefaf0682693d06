package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vesper.api.data.DataService;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import dev.vesper.data.BuiltinSource;
import dev.vesper.data.DefaultDataService;
import dev.vesper.data.FileSource;
import dev.vesper.trainer.TrainerService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Shared set-up of the whole-loop tests: the real stack, a small corpus, a small model. */
final class Runs {
    static final long TIMEOUT_S = 120;
    /**
     * The activation of the scalar-engine bit-for-bit tests; TrainingJobTest also repeats runs with
     * {@code era} and on the engine's vector path, which are now exact too (see RealStack).
     */
    static final String EXACT_ACTIVATION = "gelu";

    final RealStack stack;
    final DataService data = new DefaultDataService(List.of(new FileSource(), new BuiltinSource()));
    final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    final TrainerService service;
    final Path corpus;

    Runs(Path dir) throws IOException {
        this(dir, false);
    }

    /** {@code vectorEngine}: the engine's Vector API kernels instead of the scalar ones. */
    Runs(Path dir, boolean vectorEngine) throws IOException {
        stack = new RealStack(vectorEngine);
        service = new TrainerService(stack.autograd, stack.models, stack.tokenizers, data,
                stack.checkpoints, stack.optimizers::get, stack.activations::get, listeners);
        corpus = corpus(dir);
    }

    /** The first 64 KiB of tinyshakespeare, from the shared folder. */
    static Path corpus(Path dir) throws IOException {
        String shared = System.getProperty("vesper.shared");
        if (shared == null) {
            fail("system property vesper.shared is not set: run the tests through Maven");
        }
        Path source = Path.of(shared, "data", "tinyshakespeare.txt");
        if (!Files.isRegularFile(source)) {
            fail("missing " + source + ": the shared folder must hold data/tinyshakespeare.txt");
        }
        byte[] all = Files.readAllBytes(source);
        String text = new String(all, 0, Math.min(all.length, 64 * 1024), StandardCharsets.UTF_8);
        Path p = dir.resolve("corpus.txt");
        Files.writeString(p, text);
        return p;
    }

    TrainingConfig config(Path out) {
        return new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 32).modelOverride("heads", 2)
                .modelOverride("context", 32)
                .optimizer("adamw").activation("era").tokenizer("byte").data(corpus.toString())
                .batch(4).seq(16).steps(30).learningRate(3e-3).warmup(3).schedule("cosine")
                .evalEvery(10).evalBatches(2).checkpointEvery(10).keepCheckpoints(2).seed(5).out(out);
    }

    static JobStatus finish(TrainingJob job) throws Exception {
        return job.completion().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static JobStatus await(TrainingJob job, Predicate<JobStatus> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        JobStatus s = job.status();
        while (System.nanoTime() < deadline) {
            s = job.status();
            if (condition.test(s)) {
                return s;
            }
            if (s.state().ended()) {
                fail("job ended (" + s.state() + ": " + s.message() + ") before: " + what);
            }
            Thread.sleep(2);
        }
        fail("timed out waiting for: " + what + "; status " + s.state() + " at step " + s.step() + ": " + s.message());
        return s;
    }

    static boolean is(JobStatus s, JobState state) {
        return s.state() == state;
    }
}

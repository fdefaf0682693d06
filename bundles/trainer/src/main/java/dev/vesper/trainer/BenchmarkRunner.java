package dev.vesper.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vesper.api.train.BenchmarkArm;
import dev.vesper.api.train.BenchmarkResult;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.OptimizerBenchmark;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import dev.vesper.files.AtomicFiles;
import dev.vesper.trainer.internal.Configs;
import dev.vesper.trainer.internal.LossChart;
import dev.vesper.trainer.internal.RunMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link OptimizerBenchmark}: one training run per arm, same model, data, seed and steps, one after
 * the other (so they do not share the cores), then the figures read back from each run's metrics.
 */
@Component(service = OptimizerBenchmark.class)
public final class BenchmarkRunner implements OptimizerBenchmark {
    public static final String CHART = "bench.png";
    public static final String JSON = "bench.json";
    /** Untimed steps before the first arm. */
    private static final int WARMUP_STEPS = 20;
    /** How long a stopped job may take to write its last files before an interrupted comparison returns. */
    private static final long STOP_WAIT_SECONDS = 30;

    private final TrainingService training;

    @Activate
    public BenchmarkRunner(@Reference TrainingService training) {
        this.training = training;
    }

    @Override
    public BenchmarkResult compare(TrainingConfig base, List<BenchmarkArm> arms, Path directory,
                                   Consumer<TrainingJob> progress) throws IOException, InterruptedException {
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("bench: no optimizers to compare");
        }
        Configs.requireNewFolder("--out", directory, "name a new folder for the comparison");
        for (BenchmarkArm arm : arms) {
            Configs.validate(armConfig(base, arm, directory.resolve(arm.label())));
        }
        boolean created = !Files.exists(directory);
        Files.createDirectories(directory);
        try {
            warmUp(base, arms.get(0), directory);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // nothing was compared: the folder, empty before, holds only the warm-up's caches
            try {
                emptyOrDelete(directory, created);
            } catch (IOException left) {
                e.addSuppressed(left);
            }
            throw e;
        }
        List<BenchmarkResult.Row> rows = new ArrayList<>();
        List<LossChart.Run> curves = new ArrayList<>();
        int warmup = base.warmup();
        for (BenchmarkArm arm : arms) {
            TrainingJob job = training.start(armConfig(base, arm, directory.resolve(arm.label())));
            progress.accept(job);
            JobStatus end = await(job);
            warmup = job.config().warmup();   // as the arms used it: the default is capped for a short run
            RunMetrics m = RunMetrics.read(job.runDirectory());
            curves.add(new LossChart.Run(arm.label(), m.steps(), m.losses(), m.evalSteps(), m.evalLosses()));
            double loss = m.finalLoss();
            rows.add(new BenchmarkResult.Row(arm.label(), arm.optimizer(), loss, Math.exp(loss), end.convergenceStep(),
                    m.msPerStep(), m.tokensPerSecond(), end.step(), end.state().toString()));
        }
        Path chart = LossChart.renderComparison(directory.resolve(CHART), "Velvet against AdamW, " + base.model()
                + (base.modelOverrides().isEmpty() ? "" : " " + base.modelOverrides()) + ", " + base.steps() + " steps, seed " + base.seed(), curves);
        Path json = writeJson(directory.resolve(JSON), base, warmup, rows);
        return new BenchmarkResult(rows, chart, json);
    }

    private static TrainingConfig armConfig(TrainingConfig base, BenchmarkArm arm, Path out) {
        TrainingConfig c = base.copy().optimizer(arm.optimizer()).out(out).checkpointEvery(0).resume(null);
        c.optimizerOptions().clear();
        c.optimizerOptions().putAll(base.optimizerOptions());
        c.optimizerOptions().putAll(arm.options());
        return c;
    }

    /**
     * A short untimed run first: otherwise the first arm pays for the JIT compiling the kernels, and its
     * ms/step reads several times the others' (measured: 25 ms against 4-6 for the same model). It runs in
     * {@code directory/.warmup}, so that it fills the tokenizer and token caches the arms then share
     * ({@code directory/.vesper-cache}), and its folder is removed once it has finished.
     */
    private void warmUp(TrainingConfig base, BenchmarkArm first, Path directory) throws IOException, InterruptedException {
        Path scratch = directory.resolve(".warmup");
        TrainingConfig c = armConfig(base, first, scratch).epochs(0)
                .steps(Math.min(WARMUP_STEPS, Math.max(1, base.steps()))).evalEvery(0);
        // the arms, not the warm-up, are the user's jobs: they get the next numbers, and vesper:jobs lists only them
        TrainerService service = training instanceof TrainerService own ? own : null;
        TrainingJob warmUp = service != null ? service.startUnnumbered(c, "bench-warm-up") : training.start(c);
        try {
            await(warmUp);
        } finally {
            if (service != null) {
                service.forget(warmUp);   // if it has ended, as an interrupted await waits for
            }
        }
        AtomicFiles.deleteTree(scratch);
    }

    private static JobStatus await(TrainingJob job) throws InterruptedException {
        try {
            return job.completion().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("bench: job " + job.id() + " failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            job.stop();
            awaitEnd(job);
            throw e;
        }
    }

    /** After a stop: what the caller cleans up next is then no longer written to; a second Ctrl-C gives up waiting. */
    private static void awaitEnd(TrainingJob job) {
        try {
            job.completion().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException endedBadlyOrSlowly) {
            // the stop is asked for; the caller's cleanup copes with what is left
        }
    }

    private static Path writeJson(Path target, TrainingConfig base, int warmup, List<BenchmarkResult.Row> rows)
            throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> config = Configs.toMap(base);
        config.put("warmup", warmup);
        // each arm names its own optimizer and options in the results
        config.remove("optimizer");
        config.remove("optimizer_options");
        doc.put("config", config);
        List<Map<String, Object>> list = new ArrayList<>();
        for (BenchmarkResult.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", r.label());
            m.put("optimizer", r.optimizer());
            m.put("final_loss", finite(r.finalLoss()));
            m.put("final_perplexity", finite(r.finalPerplexity()));
            m.put("convergence_step", r.convergenceStep() < 0 ? null : r.convergenceStep());
            m.put("ms_per_step", finite(r.msPerStep()));
            m.put("tokens_per_s", finite(r.tokensPerSecond()));
            m.put("steps", r.steps());
            m.put("state", r.state());
            list.add(m);
        }
        doc.put("results", list);
        AtomicFiles.writeText(target, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        return target;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void emptyOrDelete(Path directory, boolean delete) throws IOException {
        if (delete) {
            AtomicFiles.deleteTree(directory);
            return;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                AtomicFiles.deleteTree(p);
            }
        }
    }
}

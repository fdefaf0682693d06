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
import dev.vesper.trainer.internal.Configs;
import dev.vesper.trainer.internal.LossChart;
import dev.vesper.trainer.internal.RunMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
        Files.createDirectories(directory);
        List<BenchmarkResult.Row> rows = new ArrayList<>();
        List<LossChart.Run> curves = new ArrayList<>();
        for (BenchmarkArm arm : arms) {
            TrainingConfig c = Configs.copy(base).optimizer(arm.optimizer()).out(directory.resolve(arm.label()))
                    .checkpointEvery(0).resume(null);
            c.optimizerOptions().clear();
            c.optimizerOptions().putAll(base.optimizerOptions());
            c.optimizerOptions().putAll(arm.options());
            TrainingJob job = training.start(c);
            progress.accept(job);
            JobStatus end = await(job);
            RunMetrics m = RunMetrics.read(job.runDirectory());
            curves.add(new LossChart.Run(arm.label(), m.steps(), m.losses(), m.evalSteps(), m.evalLosses()));
            double loss = m.finalLoss();
            rows.add(new BenchmarkResult.Row(arm.label(), arm.optimizer(), loss, Math.exp(loss), end.convergenceStep(),
                    m.msPerStep(), m.tokensPerSecond(), end.step(), end.state().toString()));
        }
        Path chart = LossChart.renderComparison(directory.resolve(CHART), "Velvet against AdamW, " + base.model()
                + (base.modelOverrides().isEmpty() ? "" : " " + base.modelOverrides()) + ", " + base.steps() + " steps, seed " + base.seed(), curves);
        Path json = writeJson(directory.resolve(JSON), base, rows);
        return new BenchmarkResult(rows, chart, json);
    }

    private static JobStatus await(TrainingJob job) throws InterruptedException {
        try {
            return job.completion().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("bench: job " + job.id() + " failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            job.stop();
            throw e;
        }
    }

    private static Path writeJson(Path target, TrainingConfig base, List<BenchmarkResult.Row> rows) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", Configs.toMap(base));
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
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc),
                StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

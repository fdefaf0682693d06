package dev.vesper.console;

import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.train.BenchmarkArm;
import dev.vesper.api.train.BenchmarkResult;
import dev.vesper.api.train.Evaluation;
import dev.vesper.api.train.ModelEvaluator;
import dev.vesper.api.train.OptimizerBenchmark;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.files.FileErrors;
import dev.vesper.files.FreshFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vesper:eval} and {@code vesper:bench}: measuring models and optimizers. */
@Component(service = EvaluationCommands.class, property = {"osgi.command.scope=vesper",
    "osgi.command.function=eval", "osgi.command.function=bench"})
public final class EvaluationCommands {
    private final BundleContext context;
    private final ModelEvaluator evaluator;
    private final OptimizerBenchmark benchmark;
    private final LoadedModel loaded;

    @Activate
    public EvaluationCommands(BundleContext context, @Reference ModelEvaluator evaluator,
                              @Reference OptimizerBenchmark benchmark, @Reference LoadedModel loaded) {
        this.context = context;
        this.evaluator = evaluator;
        this.benchmark = benchmark;
        this.loaded = loaded;
    }

    @Descriptor("measure a model on a dataset: loss, perplexity and the tokens counted; the loaded model unless --checkpoint names one")
    public Report eval(
            @Descriptor("checkpoint folder (default: the model loaded or just trained)") @Parameter(names = "--checkpoint", absentValue = "") String checkpoint,
            @Descriptor("dataset: builtin:stories, a file or folder, hf://datasets/...") @Parameter(names = "--data", absentValue = "") String data,
            @Descriptor("tokens per window (at most the model's context)") @Parameter(names = "--seq", absentValue = "128") String seqText,
            @Descriptor("windows per batch") @Parameter(names = "--batch", absentValue = "8") String batchText,
            @Descriptor("batches at most; the data is read once, in order, up to this") @Parameter(names = "--batches", absentValue = "50") String batchesText,
            @Descriptor("JSON field holding the text, in JSONL and JSON data") @Parameter(names = "--field", absentValue = "text") String field,
            @Descriptor("count and skip malformed records instead of failing") @Parameter(names = "--skip-bad-lines", presentValue = "true", absentValue = "false") boolean skipBad,
            @Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("eval", words);
            int seq = Numbers.positive("--seq", seqText);
            int batch = Numbers.positive("--batch", batchText);
            int batches = Numbers.positive("--batches", batchesText);
            if (data.isBlank()) {
                throw new IllegalArgumentException("eval needs --data <source>, and --checkpoint <dir> unless a model is loaded");
            }
            ReadOptions read = new ReadOptions(field, skipBad);
            Evaluation e;
            if (checkpoint.isBlank()) {
                LoadedModel.Entry m = loaded.optional().orElseThrow(() -> new IllegalStateException(
                        "eval: no model loaded; name one with --checkpoint <dir>, or train or load one first"));
                e = evaluator.evaluate(m.model(), m.tokenizer(), m.source(), data, read, seq, batch, batches);
            } else {
                e = evaluator.evaluate(Path.of(checkpoint).toAbsolutePath(), data, read, seq, batch, batches);
            }
            return evaluation(e, seq, checkpoint.isBlank() ? "model     " : "checkpoint");
        });
    }

    static Report evaluation(Evaluation e, int seq, String what) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("loss", e.loss());
        figures.put("perplexity", e.perplexity());
        figures.put("tokens", e.tokens());
        figures.put("window", e.window());
        String window = e.window() <= 0 ? "-" : e.window() + " tokens"
                + (e.window() < seq ? " (the model's context; --seq asked for " + seq + ")" : "");
        String coverage = e.batchesInPass() > e.batches() && e.batches() > 0
                ? String.format(Locale.ROOT, " (a sample: %,d of the %,d batches that cover the data, spread over it;"
                        + " --batches %d scores all of it)", e.batches(), e.batchesInPass(), e.batchesInPass())
                : e.batches() > 0 ? " (all of the data)" : "";
        figures.put("batches", e.batches());
        figures.put("batches_in_pass", e.batchesInPass());
        figures.put("skipped_lines", e.skippedLines());
        // a wrong --field with --skip-bad-lines would otherwise score almost nothing without a word
        String skipped = e.skippedLines() == 0 ? "" : String.format(Locale.ROOT, "%nskipped     %,d bad line%s"
                + " (--skip-bad-lines); the first: %s", e.skippedLines(), e.skippedLines() == 1 ? "" : "s", e.firstSkippedLine());
        return new Report(String.format(Locale.ROOT, "%s  %s%ndata        %s%nwindow      %s%nloss        %.4f%nperplexity  %.2f%ntokens      %,d%s%s",
                what, e.checkpoint(), e.data(), window, e.loss(), e.perplexity(), e.tokens(), coverage, skipped), figures);
    }

    @Descriptor("train the same model with AdamW and with Velvet (and each Velvet feature alone with --ablation), "
            + "same data, seed and steps; print final loss, perplexity, convergence step and ms/step, write a chart and JSON")
    public Report bench(CommandSession session,
            @Descriptor("preset") @Parameter(names = "--model", absentValue = "tiny") String model,
            @Descriptor("model configuration overrides, key=value[,key=value]") @Parameter(names = "--config", absentValue = "") String overrides,
            @Descriptor("dataset") @Parameter(names = "--data", absentValue = "builtin:stories") String data,
            @Descriptor("tokenizer: bpe:<vocab>, byte, or a tokenizer.json path") @Parameter(names = "--tokenizer", absentValue = "bpe:4096") String tokenizer,
            @Descriptor("steps per optimizer") @Parameter(names = "--steps", absentValue = "200") String steps,
            @Descriptor("sequences per batch") @Parameter(names = "--batch", absentValue = "16") String batch,
            @Descriptor("tokens per sequence") @Parameter(names = "--seq", absentValue = "128") String seq,
            @Descriptor("peak learning rate") @Parameter(names = "--lr", absentValue = "") String lr,
            @Descriptor("steps between evaluations") @Parameter(names = "--eval-every", absentValue = "25") String evalEvery,
            @Descriptor("random seed, the same for every optimizer") @Parameter(names = "--seed", absentValue = "1234") String seed,
            @Descriptor("folder for the runs, chart and JSON (default: a new runs/bench-<time>)") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("also run Velvet with each feature alone") @Parameter(names = "--ablation", presentValue = "true", absentValue = "false") boolean ablation,
            @Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("bench", words);
            TrainOptions o = new TrainOptions();
            TrainingConfig c = o.config();
            o.text("--model", model, c::model).text("--data", data, c::data).text("--tokenizer", tokenizer, c::tokenizer)
                    .positive("--steps", steps, c::steps).integer("--batch", batch, c::batch).integer("--seq", seq, c::seq)
                    .number("--lr", lr, c::learningRate).integer("--eval-every", evalEvery, c::evalEvery)
                    .integer("--seed", seed, v -> c.seed(v)).overrides(overrides, c::modelOverride);
            c.checkpointEvery(0);
            PrintStream console = session.getConsole();
            Path folder = out.isBlank() ? freshBenchFolder() : Path.of(out).toAbsolutePath();
            BenchmarkResult result;
            try {
                result = benchmark.compare(c, arms(ablation), folder, job -> {
                    Map<String, Object> options = job.config().optimizerOptions();
                    console.println("bench: " + job.runDirectory().getFileName() + (options.isEmpty() ? "" : " " + options)
                            + " (job " + job.id() + ")");
                });
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (out.isBlank()) {
                    dropIfEmpty(folder, e);
                }
                throw e;
            }
            // with evaluations on, a run ends with one at its last step, whose validation loss is then its final loss
            boolean validated = c.evalEvery() > 0;
            return new Report(Tables.bench(result, validated, c.convergenceTolerance()), figures(result));
        });
    }

    static List<BenchmarkArm> arms(boolean ablation) {
        List<BenchmarkArm> arms = new ArrayList<>();
        arms.add(new BenchmarkArm("adamw", "adamw", Map.of()));
        arms.add(new BenchmarkArm("velvet", "velvet", Map.of()));
        if (ablation) {
            for (String feature : List.of("entropy_adaptive", "perplexity_guided", "sparse_aware")) {
                arms.add(new BenchmarkArm("velvet-" + feature, "velvet", Map.of("features", feature)));
            }
        }
        return arms;
    }

    private static Map<String, Object> figures(BenchmarkResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chart", r.chart().toString());
        m.put("json", r.json().toString());
        m.put("rows", r.rows());
        return m;
    }

    /** {@code runs/bench-<time>} under the working directory, made here so that no other Vesper takes it too. */
    private static Path freshBenchFolder() {
        Path base = Path.of("runs", "bench-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
        try {
            return FreshFolders.claim(base);
        } catch (IOException e) {
            throw new IllegalArgumentException(base.getParent() + ": cannot make the comparison's folder ("
                    + FileErrors.reason(e) + "); name one with --out", e);
        }
    }

    /** A folder this command made for a comparison that failed before it wrote anything. */
    private static void dropIfEmpty(Path folder, Exception failure) {
        try {
            Files.deleteIfExists(folder);
        } catch (java.nio.file.DirectoryNotEmptyException kept) {
            // the runs made so far stay for the user to read
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}

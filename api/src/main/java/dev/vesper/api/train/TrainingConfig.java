package dev.vesper.api.train;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a training job needs to know, with the defaults of the main job. A fluent, mutable
 * builder: set what differs, then hand it to {@link TrainingService#start}. The service validates it.
 */
public final class TrainingConfig {
    /** The learning-rate schedules a job knows, by their {@link #schedule()} value. */
    public static final List<String> SCHEDULES = List.of("constant", "cosine");

    /**
     * The warmup of a cosine schedule when none is set. A job caps it at a third of a shorter run, so
     * that a short run is not all warmup; a warmup that was set is kept.
     */
    public static final int DEFAULT_WARMUP = 50;

    private String model = "tiny";
    private final Map<String, Object> modelOverrides = new LinkedHashMap<>();
    private String optimizer = "velvet";
    private final Map<String, Object> optimizerOptions = new LinkedHashMap<>();
    private String activation;
    private String adapter;
    private String data = "builtin:stories";
    private String tokenizer = "bpe:4096";
    private String dataField = "text";
    private boolean skipBadLines;
    private long steps = 300;
    private int epochs;
    private int batch = 16;
    private int seq = 128;
    private int accumulate = 1;
    private double learningRate = 1e-3;
    private String schedule = "cosine";
    private int warmup = DEFAULT_WARMUP;
    private double minLearningRateFraction = 0.1;
    private double clipNorm = 1.0;
    private int evalEvery = 100;
    private int evalBatches = 8;
    private int checkpointEvery = 200;
    private int keepCheckpoints = 3;
    private double convergenceTolerance = 0.05;
    private int earlyStopPatience;
    private int maxBadSteps = 5;
    private Path out;
    private Path resume;
    private long seed = 1234;
    /** The options set, by their setters' names; every other one is at its default. */
    private final Set<String> given = new LinkedHashSet<>();

    public String model() { return model; }

    /** A preset name ({@code tiny} ...), or a checkpoint directory to fine-tune from. */
    public TrainingConfig model(String v) { model = v; given.add("model"); return this; }

    /** Configuration keys (spec section 1) that override the preset, such as {@code dropout}. */
    public Map<String, Object> modelOverrides() { return modelOverrides; }

    public TrainingConfig modelOverride(String key, Object value) {
        modelOverrides.put(key, value);
        given.add("modelOverrides");
        return this;
    }

    public String optimizer() { return optimizer; }

    public TrainingConfig optimizer(String v) { optimizer = v; given.add("optimizer"); return this; }

    /** Hyperparameters handed to the optimizer factory (lr is set from {@link #learningRate()}). */
    public Map<String, Object> optimizerOptions() { return optimizerOptions; }

    public TrainingConfig optimizerOption(String key, Object value) {
        optimizerOptions.put(key, value);
        given.add("optimizerOptions");
        return this;
    }

    /** The activation name, or null for the model configuration's. */
    public String activation() { return activation; }

    public TrainingConfig activation(String v) { activation = v; given.add("activation"); return this; }

    /** {@code masked}, {@code flylora} or null. */
    public String adapter() { return adapter; }

    public TrainingConfig adapter(String v) { adapter = v; given.add("adapter"); return this; }

    /** A dataset location: {@code builtin:stories}, a path, {@code hf://datasets/...}. */
    public String data() { return data; }

    public TrainingConfig data(String v) { data = v; given.add("data"); return this; }

    /** The JSON field that holds each record's text, in JSONL and JSON data. */
    public String dataField() { return dataField; }

    public TrainingConfig dataField(String v) { dataField = v; given.add("dataField"); return this; }

    /** Whether malformed records are counted and skipped instead of failing the run. */
    public boolean skipBadLines() { return skipBadLines; }

    public TrainingConfig skipBadLines(boolean v) { skipBadLines = v; given.add("skipBadLines"); return this; }

    /** {@code bpe:<vocab>} to train one, {@code byte}, or a path to a {@code tokenizer.json}. */
    public String tokenizer() { return tokenizer; }

    public TrainingConfig tokenizer(String v) { tokenizer = v; given.add("tokenizer"); return this; }

    /** Optimizer steps to run; ignored when {@link #epochs()} is set. */
    public long steps() { return steps; }

    public TrainingConfig steps(long v) { steps = v; given.add("steps"); return this; }

    public int epochs() { return epochs; }

    public TrainingConfig epochs(int v) { epochs = v; given.add("epochs"); return this; }

    public int batch() { return batch; }

    public TrainingConfig batch(int v) { batch = v; given.add("batch"); return this; }

    public int seq() { return seq; }

    public TrainingConfig seq(int v) { seq = v; given.add("seq"); return this; }

    /** Micro-batches per optimizer step. */
    public int accumulate() { return accumulate; }

    public TrainingConfig accumulate(int v) { accumulate = v; given.add("accumulate"); return this; }

    public double learningRate() { return learningRate; }

    public TrainingConfig learningRate(double v) { learningRate = v; given.add("learningRate"); return this; }

    /** {@code constant} or {@code cosine} (linear warmup, then cosine decay to a floor). */
    public String schedule() { return schedule; }

    public TrainingConfig schedule(String v) { schedule = v; given.add("schedule"); return this; }

    /** Warmup steps of the cosine schedule: the one set, or {@link #DEFAULT_WARMUP}. */
    public int warmup() { return warmup; }

    public TrainingConfig warmup(int v) { warmup = v; given.add("warmup"); return this; }

    /** Whether {@link #warmup(int)} set the warmup, rather than leaving it to the default. */
    public boolean warmupSet() { return given.contains("warmup"); }

    /** Leaves the warmup to the default again, as if it had never been set. */
    public TrainingConfig resetWarmup() { warmup = DEFAULT_WARMUP; given.remove("warmup"); return this; }

    /** The cosine schedule's floor, as a fraction of the peak learning rate. */
    public double minLearningRateFraction() { return minLearningRateFraction; }

    public TrainingConfig minLearningRateFraction(double v) {
        minLearningRateFraction = v;
        given.add("minLearningRateFraction");
        return this;
    }

    /** Global gradient-norm clipping; 0 switches it off. */
    public double clipNorm() { return clipNorm; }

    public TrainingConfig clipNorm(double v) { clipNorm = v; given.add("clipNorm"); return this; }

    /** Steps between evaluations; 0 switches them off. */
    public int evalEvery() { return evalEvery; }

    public TrainingConfig evalEvery(int v) { evalEvery = v; given.add("evalEvery"); return this; }

    public int evalBatches() { return evalBatches; }

    public TrainingConfig evalBatches(int v) { evalBatches = v; given.add("evalBatches"); return this; }

    /** Steps between checkpoints; 0 writes one only at the end. */
    public int checkpointEvery() { return checkpointEvery; }

    public TrainingConfig checkpointEvery(int v) { checkpointEvery = v; given.add("checkpointEvery"); return this; }

    public int keepCheckpoints() { return keepCheckpoints; }

    public TrainingConfig keepCheckpoints(int v) { keepCheckpoints = v; given.add("keepCheckpoints"); return this; }

    /** Relative distance to the best validation loss that counts as converged. */
    public double convergenceTolerance() { return convergenceTolerance; }

    public TrainingConfig convergenceTolerance(double v) {
        convergenceTolerance = v;
        given.add("convergenceTolerance");
        return this;
    }

    /** Evaluations without improvement before stopping early; 0 never stops early. */
    public int earlyStopPatience() { return earlyStopPatience; }

    public TrainingConfig earlyStopPatience(int v) {
        earlyStopPatience = v;
        given.add("earlyStopPatience");
        return this;
    }

    /** Non-finite steps in a row before reloading the last checkpoint with a lower rate. */
    public int maxBadSteps() { return maxBadSteps; }

    public TrainingConfig maxBadSteps(int v) { maxBadSteps = v; given.add("maxBadSteps"); return this; }

    /** The run directory, or null for one under {@code runs/}. */
    public Path out() { return out; }

    public TrainingConfig out(Path v) { out = v; given.add("out"); return this; }

    /** A checkpoint directory to resume from, or null. */
    public Path resume() { return resume; }

    public TrainingConfig resume(Path v) { resume = v; given.add("resume"); return this; }

    public long seed() { return seed; }

    public TrainingConfig seed(long v) { seed = v; given.add("seed"); return this; }

    /**
     * The options set on this builder, by their setters' names ({@code learningRate}, {@code warmup},
     * {@code modelOverrides}, ...); every other option is at its default, even where a value set equals it.
     * A resumed run refuses an option set here that differs from its checkpoint's, rather than ignore it.
     *
     * @since 1.4
     */
    public Set<String> given() { return Collections.unmodifiableSet(given); }

    /** A copy that shares nothing with this builder: changing either leaves the other as it was. */
    public TrainingConfig copy() {
        TrainingConfig c = new TrainingConfig();
        c.model = model;
        c.modelOverrides.putAll(modelOverrides);
        c.optimizer = optimizer;
        c.optimizerOptions.putAll(optimizerOptions);
        c.activation = activation;
        c.adapter = adapter;
        c.data = data;
        c.tokenizer = tokenizer;
        c.dataField = dataField;
        c.skipBadLines = skipBadLines;
        c.steps = steps;
        c.epochs = epochs;
        c.batch = batch;
        c.seq = seq;
        c.accumulate = accumulate;
        c.learningRate = learningRate;
        c.schedule = schedule;
        c.warmup = warmup;
        c.minLearningRateFraction = minLearningRateFraction;
        c.clipNorm = clipNorm;
        c.evalEvery = evalEvery;
        c.evalBatches = evalBatches;
        c.checkpointEvery = checkpointEvery;
        c.keepCheckpoints = keepCheckpoints;
        c.convergenceTolerance = convergenceTolerance;
        c.earlyStopPatience = earlyStopPatience;
        c.maxBadSteps = maxBadSteps;
        c.out = out;
        c.resume = resume;
        c.seed = seed;
        c.given.addAll(given);
        return c;
    }
}

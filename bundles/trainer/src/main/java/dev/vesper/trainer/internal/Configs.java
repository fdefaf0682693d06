package dev.vesper.trainer.internal;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks and serialises {@link TrainingConfig}s. A job works on its own {@link TrainingConfig#copy copy},
 * so a caller that goes on changing its builder changes nothing in the running job.
 */
public final class Configs {
    /**
     * The default warmup takes at most this part of a run (a third): the smallest share that leaves the
     * documented runs as they were (300 steps in the README, 150 in the tour: all 50 steps).
     */
    static final int DEFAULT_WARMUP_SHARE = 3;

    private Configs() {
    }

    /** Every option with its value, as {@code trainer.json} stores it. */
    public static Map<String, Object> toMap(TrainingConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model());
        m.put("model_overrides", new LinkedHashMap<>(c.modelOverrides()));
        m.put("optimizer", c.optimizer());
        m.put("optimizer_options", new LinkedHashMap<>(c.optimizerOptions()));
        m.put("activation", c.activation());
        m.put("adapter", c.adapter());
        m.put("data", c.data());
        m.put("tokenizer", c.tokenizer());
        m.put("data_field", c.dataField());
        m.put("skip_bad_lines", c.skipBadLines());
        m.put("steps", c.steps());
        m.put("epochs", c.epochs());
        m.put("batch", c.batch());
        m.put("seq", c.seq());
        m.put("accumulate", c.accumulate());
        m.put("lr", c.learningRate());
        m.put("schedule", c.schedule());
        m.put("warmup", c.warmup());
        m.put("min_lr_fraction", c.minLearningRateFraction());
        m.put("clip_norm", c.clipNorm());
        m.put("eval_every", c.evalEvery());
        m.put("eval_batches", c.evalBatches());
        m.put("checkpoint_every", c.checkpointEvery());
        m.put("keep_checkpoints", c.keepCheckpoints());
        m.put("convergence_tolerance", c.convergenceTolerance());
        m.put("early_stop_patience", c.earlyStopPatience());
        m.put("max_bad_steps", c.maxBadSteps());
        m.put("seed", c.seed());
        return m;
    }

    /**
     * Sets the settings that define a run's trajectory (model, data, tokenizer, batch shape,
     * optimizer, activation, schedule, clipping, seed) from a stored map, trainer.json's {@code config}.
     * A resumed run takes these from its checkpoint; its length, cadences and output directory stay the
     * caller's. Each is checked as {@link #validate} checks the option, which a resumed run does not repeat.
     *
     * @throws IllegalArgumentException naming the field at fault, as {@code config.batch}
     */
    public static void applyRunSettings(Map<String, Object> m, TrainingConfig c) {
        StoredFields f = StoredFields.of(m, "config");
        c.model(f.name("model"));
        c.modelOverrides().clear();
        c.modelOverrides().putAll(f.mapOr("model_overrides", Map.of()));
        c.optimizer(f.name("optimizer"));
        c.optimizerOptions().clear();
        c.optimizerOptions().putAll(f.mapOr("optimizer_options", Map.of()));
        // null where the run did not set them: the model's own activation, no adapter
        c.activation(f.nameOrNull("activation"));
        c.adapter(f.oneOfOrNull("adapter", ModelConfig.ADAPTERS));
        c.data(f.name("data"));
        c.tokenizer(f.name("tokenizer"));
        // absent from checkpoints written before these options existed: their runs read the defaults
        c.dataField(f.nameOr("data_field", "text"));
        c.skipBadLines(f.booleanOr("skip_bad_lines", false));
        c.batch(f.smallInteger("batch", 1));
        c.seq(f.smallInteger("seq", 1));
        c.accumulate(f.smallInteger("accumulate", 1));
        c.learningRate(f.number("lr", "a finite number > 0", v -> v > 0 && Double.isFinite(v)));
        c.schedule(f.oneOf("schedule", TrainingConfig.SCHEDULES));
        c.warmup(f.smallInteger("warmup", 0));
        c.minLearningRateFraction(f.number("min_lr_fraction", "a number in [0, 1]", v -> v >= 0 && v <= 1));
        c.clipNorm(f.number("clip_norm", "a finite number >= 0", v -> v >= 0 && Double.isFinite(v)));
        c.seed(f.integer("seed"));
    }

    /** @throws IllegalArgumentException naming the first option at fault */
    public static void validate(TrainingConfig c) {
        require(c.model() != null && !c.model().isBlank(), "--model: must name a preset or a checkpoint directory");
        require(c.optimizer() != null && !c.optimizer().isBlank(), "--optimizer: must name an optimizer");
        require(c.data() != null && !c.data().isBlank(), "--data: must name a dataset");
        require(c.dataField() != null && !c.dataField().isBlank(), "--field: must name a JSON field");
        // a location without a scheme is a file path: a missing one is said at once, not after the job starts
        require(hasScheme(c.data()) || Files.exists(Path.of(c.data())),
                "--data: no such file or folder: " + c.data());
        require(c.steps() > 0 || c.epochs() > 0, "--steps: must be > 0 (or set --epochs), got " + c.steps());
        require(c.epochs() >= 0, "--epochs: must be >= 0, got " + c.epochs());
        require(c.batch() > 0, "--batch: must be > 0, got " + c.batch());
        require(c.seq() > 0, "--seq: must be > 0, got " + c.seq());
        require(c.accumulate() > 0, "--accumulate: must be > 0, got " + c.accumulate());
        require(c.learningRate() > 0 && Double.isFinite(c.learningRate()),
                "--lr: must be a positive number, got " + c.learningRate());
        require(c.schedule() != null && TrainingConfig.SCHEDULES.contains(c.schedule()), "--schedule: expected one of " + TrainingConfig.SCHEDULES + ", got '"
                + c.schedule() + "'");
        require(c.warmup() >= 0, "--warmup: must be >= 0, got " + c.warmup());
        require(c.minLearningRateFraction() >= 0 && c.minLearningRateFraction() <= 1,
                "min learning-rate fraction: must be in [0, 1], got " + c.minLearningRateFraction());
        require(c.clipNorm() >= 0 && Double.isFinite(c.clipNorm()), "clip norm: must be >= 0, got " + c.clipNorm());
        require(c.evalEvery() >= 0, "--eval-every: must be >= 0, got " + c.evalEvery());
        require(c.evalBatches() > 0, "eval batches: must be > 0, got " + c.evalBatches());
        require(c.checkpointEvery() >= 0, "--checkpoint-every: must be >= 0, got " + c.checkpointEvery());
        require(c.keepCheckpoints() > 0, "keep checkpoints: must be > 0, got " + c.keepCheckpoints());
        require(c.convergenceTolerance() >= 0, "convergence tolerance: must be >= 0, got " + c.convergenceTolerance());
        require(c.earlyStopPatience() >= 0, "early-stop patience: must be >= 0, got " + c.earlyStopPatience());
        require(c.maxBadSteps() > 0, "max bad steps: must be > 0, got " + c.maxBadSteps());
        require(c.adapter() == null || ModelConfig.ADAPTERS.contains(c.adapter()),
                "--adapter: expected one of " + ModelConfig.ADAPTERS + ", got '" + c.adapter() + "'");
        TokenizerSpec.parse(c.tokenizer());
        if (c.resume() != null) {
            require(Files.isDirectory(c.resume()), "--resume: no checkpoint directory at " + c.resume());
            requireOneCheckpoint("--resume", c.resume());
        }
        if (isCheckpoint(c.model())) {
            requireOneCheckpoint("--model", Path.of(c.model()));
        }
    }

    /** A run folder, or its checkpoints folder, where one checkpoint is meant: say which one to give instead. */
    static void requireOneCheckpoint(String option, Path dir) {
        if (CheckpointLayout.isCheckpoint(dir)) {
            return;
        }
        boolean run = CheckpointLayout.isRun(dir);
        Path newest;
        try {
            newest = CheckpointLayout.newest(dir).orElse(null);
        } catch (java.io.IOException e) {
            return;   // the checkpoint store's own error will name what cannot be read
        }
        if (newest != null) {
            throw new IllegalArgumentException(option + ": " + dir + (run ? " is a run folder" : " holds checkpoints")
                    + "; give one checkpoint, e.g. " + newest);
        }
    }

    /**
     * A run's metrics, checkpoints and chart go into {@code dir}: it must not exist or be empty, so that no
     * earlier run's files are mixed with the new ones or replaced.
     *
     * @throws IllegalArgumentException starting with {@code option}
     */
    public static void requireNewFolder(String option, Path dir, String advice) {
        if (!Files.exists(dir)) {
            requireMakeable(option, dir, advice);
            return;
        }
        require(Files.isDirectory(dir), option + ": " + dir + " is a file; " + advice);
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            require(entries.findAny().isEmpty(), option + ": " + dir + " is not empty; " + advice);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A folder that does not exist yet is made with the folders above it, which the run does only once it has
     * started: one of them that is a file (--out notes.txt/run) is refused now, as {@code dir} itself would be.
     *
     * @throws IllegalArgumentException starting with {@code option}
     */
    public static void requireMakeable(String option, Path dir, String advice) {
        for (Path above = dir.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
            if (Files.exists(above)) {
                require(Files.isDirectory(above), option + ": " + dir + " cannot be made: " + above + " is a file; "
                        + advice);
                return;
            }
        }
    }

    /**
     * A resumed run keeps the settings it was started with, and the optimizer and activation it had at its
     * checkpoint; an option set on the caller's configuration ({@link TrainingConfig#given()}) to something
     * else would be ignored, so it is refused instead, even when the value set is the option's default. The
     * optimizer and activation can be switched once the run goes on ({@code use}).
     */
    public static void requireSameRunSettings(TrainerState state, TrainingConfig c, Path trainerJson) {
        Map<String, Object> saved = new LinkedHashMap<>(state.config());
        // checkpoints written before the data options existed read with the defaults
        TrainingConfig defaults = new TrainingConfig();
        saved.putIfAbsent("data_field", defaults.dataField());
        saved.putIfAbsent("skip_bad_lines", defaults.skipBadLines());
        Given given = new Given(c, saved, trainerJson);
        given.same("--skip-bad-lines", "skipBadLines", "skip_bad_lines", c.skipBadLines());
        given.same("--model", "model", "model", c.model());
        given.same("--data", "data", "data", sameFileAs(c.data(), saved.get("data")));
        given.same("--tokenizer", "tokenizer", "tokenizer", c.tokenizer());
        given.same("--field", "dataField", "data_field", c.dataField());
        given.same("--adapter", "adapter", "adapter", c.adapter());
        given.same("--batch", "batch", "batch", c.batch());
        given.same("--seq", "seq", "seq", c.seq());
        given.same("--accumulate", "accumulate", "accumulate", c.accumulate());
        given.same("--lr", "learningRate", "lr", c.learningRate());
        given.same("--schedule", "schedule", "schedule", c.schedule());
        given.same("--seed", "seed", "seed", c.seed());
        given.same("--config", "modelOverrides", "model_overrides", c.modelOverrides());
        given.same("--optimizer-options", "optimizerOptions", "optimizer_options", c.optimizerOptions());
        // trainer.json holds the warmup used: one asked for was cut to the run's length when it was longer
        boolean cutToTheRun = saved.get("warmup") instanceof Number n && n.longValue() == state.totalSteps()
                && c.warmup() > n.longValue();
        if (!cutToTheRun) {
            given.same("--warmup", "warmup", "warmup", c.warmup());
        }
        String then = " (switch once it runs: use %s %s)";
        Given inUse = new Given(c, Map.of("optimizer", state.optimizer(), "activation", String.valueOf(state.activation())),
                trainerJson);
        inUse.same("--optimizer", "optimizer", "optimizer", c.optimizer(), String.format(then, "optimizer", c.optimizer()));
        inUse.same("--activation", "activation", "activation", c.activation(), String.format(then, "activation", c.activation()));
    }

    /** The options set on a configuration, held against what a checkpoint's trainer.json stores. */
    private record Given(TrainingConfig c, Map<String, Object> saved, Path trainerJson) {
        void same(String option, String setter, String key, Object value) {
            same(option, setter, key, value, "");
        }

        void same(String option, String setter, String key, Object value, String advice) {
            Object kept = saved.get(key);
            if (!c.given().contains(setter) || value == null || Configs.same(value, kept)) {
                return;
            }
            // a setting the run did not use (no adapter, the model's own activation) is stored as null
            throw new IllegalArgumentException(option + ": a resumed run keeps its own setting (" + (kept == null ? "none" : kept)
                    + " in " + trainerJson + "), not " + value + "; drop " + option + ", or start a new run" + advice);
        }
    }

    /**
     * {@code kept} when both name the same file or folder, one of them relative (a run started before data
     * paths were kept absolute, or through the API); else {@code given}. Relative paths resolve against the
     * working directory.
     */
    static String sameFileAs(String given, Object kept) {
        if (given == null || !(kept instanceof String k) || given.equals(k) || hasScheme(given) || hasScheme(k)) {
            return given;
        }
        try {
            return Path.of(given).toAbsolutePath().normalize().equals(Path.of(k).toAbsolutePath().normalize()) ? k : given;
        } catch (java.nio.file.InvalidPathException notAPath) {
            return given;
        }
    }

    private static boolean hasScheme(String location) {
        return DatasetSource.schemeOf(location) != null;
    }

    /** Equal as trainer.json holds them: numbers by value (JSON gives back Integer for Long), maps entry by entry. */
    private static boolean same(Object given, Object kept) {
        if (given instanceof Number a && kept instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        if (given instanceof Map<?, ?> a && kept instanceof Map<?, ?> b) {
            // the overrides given must agree with the run's; repeating only some of them is fine
            return a.entrySet().stream().allMatch(e -> b.containsKey(e.getKey()) && same(e.getValue(), b.get(e.getKey())));
        }
        return given.equals(kept);
    }

    /**
     * The warmup a new run of {@code totalSteps} uses, which its trainer.json then records (a resumed run
     * keeps it). The default (50) is capped at a third of the run, so that a short run is not all warmup;
     * runs of 150 steps or more keep all 50. A warmup that was set, 50 included, is kept, up to the whole
     * run (the rate then only climbs: the job says so, and goes on, as a smoke run may mean it). A constant
     * schedule has no warmup.
     */
    public static int warmup(TrainingConfig c, long totalSteps) {
        if (c.schedule().equals("constant")) {
            return 0;
        }
        long cap = c.warmupSet() ? totalSteps : totalSteps / DEFAULT_WARMUP_SHARE;
        return (int) Math.min(c.warmup(), cap);
    }

    /** How a run reads its data: the text field of JSON records, and whether bad records are skipped. */
    public static ReadOptions readOptions(TrainingConfig c) {
        return new ReadOptions(c.dataField(), c.skipBadLines());
    }

    /** Is {@code model} a checkpoint directory rather than a preset name? */
    public static boolean isCheckpoint(String model) {
        return !dev.vesper.api.model.ModelConfig.PRESETS.contains(model) && Files.isDirectory(Path.of(model));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

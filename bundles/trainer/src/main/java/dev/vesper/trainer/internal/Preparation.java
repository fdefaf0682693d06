package dev.vesper.trainer.internal;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.LearningRateSchedule;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes a run ready to take its first step: the tokenizer, the data, the evaluations, the schedule and the
 * model, made anew or restored from a checkpoint. What it settles that a user did not ask for (a capped
 * warmup, skipped lines, no evaluation) is said, in the metrics file and the status. It opens the dataset,
 * and closes it when the job ends.
 */
final class Preparation {
    /** Fraction of the documents held out for validation. */
    static final double VALIDATION_FRACTION = 0.1;

    /** What the run trains with. */
    record Run(TrainingData data, Evaluations evaluations, LearningRateSchedule schedule,
               TrainingStep trainingStep) {
    }

    private final TrainingConfig config;
    private final Collaborators services;
    private final Path runDirectory;
    private final Resumption resumption;
    /** Holds the checkpoint's weights until the model is made from them; let go of then, or when the job ends. */
    private FineTuneSource fineTune;
    private final Equipment equipment;
    private final Progress progress;
    private final StatusBoard board;
    private final Journal journal;
    private final RunChart chart;

    /** Read by any thread. */
    private volatile Tokenizer tokenizer;
    private TokenDataset dataset;

    Preparation(TrainingConfig config, Collaborators services, Path runDirectory, Resumption resumption,
                FineTuneSource fineTune, Equipment equipment, Progress progress, StatusBoard board, Journal journal,
                RunChart chart) {
        this.config = config;
        this.services = services;
        this.runDirectory = runDirectory;
        this.resumption = resumption;
        this.fineTune = fineTune;
        this.equipment = equipment;
        this.progress = progress;
        this.board = board;
        this.journal = journal;
        this.chart = chart;
    }

    /**
     * Prepares the run, saying each stage in the status as it starts; throws when the run cannot start (bad
     * data, a wrong option, a file that cannot be read or written).
     */
    Run prepare() throws IOException {
        Path cache = cacheDirectory();
        prepareTokenizer(cache);
        // a new model's configuration is complete once the tokenizer is known: checked before the data is read
        ModelConfig newModel = resumption == null && fineTune == null ? newModelConfig() : null;
        dataset = readData(cache);
        noteSkippedLines();
        TrainingData data = new TrainingData(tokenizer, dataset,
                dataset.sampler(TokenDataset.Split.TRAIN, config.batch(), config.seq(), config.seed()));
        Evaluator evaluator = makeEvaluator();
        if (config.epochs() > 0) {
            board.totalSteps(ceilDiv(config.epochs() * data.batchesPerEpoch(), config.accumulate()));
        }
        if (resumption == null) {
            useWarmup();
        }
        LearningRateSchedule schedule = RunSchedule.of(config, board.totalSteps());
        noteStretchedSchedule(schedule);
        noteAdapterOnAFreshModel();
        TrainingStep trainingStep = new TrainingStep(services.autograd(), config.batch(), config.seq(),
                config.accumulate(), config.clipNorm());
        Evaluations evaluations = new Evaluations(config, evaluator, chart, board, journal);
        board.set(JobState.PREPARING, resumption != null ? "restoring " + resumption.directory()
                : "building model '" + config.model() + "'");
        if (resumption != null) {
            restore(resumption, data, evaluations);
        } else {
            equipment.start(createModel(newModel));
        }
        return new Run(data, evaluations, schedule, trainingStep);
    }

    /** The run's tokenizer, or null before it is known. */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Closes the dataset, if one was opened, and lets go of a fine-tune's weights. */
    void close() {
        try {
            if (dataset != null) {
                dataset.close();
            }
        } catch (RuntimeException e) {
            journal.warn(e.getMessage());
        }
        fineTune = null;
    }

    /** The resumed or fine-tuned checkpoint's tokenizer, or the one --tokenizer names; copied into the run folder. */
    private void prepareTokenizer(Path cache) throws IOException {
        // a resumed or fine-tuned run uses its checkpoint's tokenizer, whatever the default --tokenizer says
        board.set(JobState.PREPARING, "preparing the tokenizer ("
                + (resumption != null || fineTune != null ? "the checkpoint's" : config.tokenizer()) + ")");
        tokenizer = resumption != null ? resumption.tokenizer() : fineTune != null ? fineTune.tokenizer()
                : new TokenizerResolver(services, runDirectory, cache).resolve(config);
        TokenizerResolver.writeRunCopy(runDirectory, tokenizer);
        if (fineTune != null) {
            // the checkpoint's tokenizer, not --tokenizer: trainer.json and a resume's checks must say so
            synchronized (config) {   // Job.config() copies it from other threads
                config.tokenizer(runDirectory.resolve(TokenizerResolver.RUN_FILE).toAbsolutePath().toString());
            }
        }
    }

    private TokenDataset readData(Path cache) throws IOException {
        board.set(JobState.PREPARING, "tokenizing " + config.data() + " (" + tokenizer.kind() + ", "
                + tokenizer.vocabSize() + " ids)");
        // one token cache per tokenizer: the data service keeps one cache file per location in a directory
        Path tokens = cache.resolve("tokens-" + shortName(tokenizer.fingerprint()));
        return services.data().tokens(config.data(), Configs.readOptions(config), tokenizer,
                new DatasetOptions(VALIDATION_FRACTION, true, config.seed(), tokens));
    }

    /** --skip-bad-lines keeps a run going; the run still says how much it left out, and the first why. */
    private void noteSkippedLines() {
        long skipped = dataset.skippedLines();
        long documents = dataset.documents(TokenDataset.Split.TRAIN) + dataset.documents(TokenDataset.Split.VALIDATION);
        if (skipped > 0 && documents == 0) {
            throw new IllegalArgumentException(config.data() + ": all " + skipped + " lines were bad and skipped"
                    + " (--skip-bad-lines); the first: " + dataset.firstSkippedLine());
        }
        if (skipped > 0) {
            String why = "skipped " + skipped + " bad line" + (skipped == 1 ? "" : "s") + " of " + config.data()
                    + " (--skip-bad-lines); the first: " + dataset.firstSkippedLine();
            journal.note("notice", why);
        }
    }

    private Path cacheDirectory() {
        Path parent = runDirectory.toAbsolutePath().getParent();
        return (parent != null ? parent : runDirectory.toAbsolutePath()).resolve(".vesper-cache");
    }

    private Evaluator makeEvaluator() {
        if (config.evalEvery() <= 0) {
            return null;   // evaluation is off: no notice about a validation split it would not use
        }
        if (dataset.tokens(TokenDataset.Split.VALIDATION) <= config.seq()) {
            notice("the validation split has too few tokens for seq " + config.seq() + ": no evaluation"
                    + " (the split takes whole documents: records of JSON data, paragraphs of plain text)");
            return null;
        }
        BatchSampler validation = dataset.sampler(TokenDataset.Split.VALIDATION, config.batch(), config.seq(),
                config.seed() + 1);
        return new Evaluator(services.autograd(), validation, config.evalBatches());
    }

    /**
     * Sets the job's config to the warmup it uses (Configs.warmup), so that trainer.json, which a resume
     * reads it back from, and {@link Job#config()} show it; a warmup that differs from the one asked for, or
     * takes the whole run, is said once.
     */
    private void useWarmup() {
        long totalSteps = board.totalSteps();
        int used = Configs.warmup(config, totalSteps);
        String why = RunSchedule.warmupNotice(config, config.warmup(), used, totalSteps);
        if (why != null) {
            notice(why);
        }
        synchronized (config) {   // Job.config() copies it from other threads
            config.warmup(used);
        }
    }

    /** A resumed run given another length: its cosine decays over the new one, so the rate moves; say how. */
    private void noteStretchedSchedule(LearningRateSchedule schedule) {
        if (resumption == null) {
            return;
        }
        String why = RunSchedule.stretchNotice(config, resumption.state(), board.totalSteps(), schedule);
        if (why != null) {
            notice(why);
        }
    }

    /** An adapter on a new model trains over random base weights, which is seldom what was meant. */
    private void noteAdapterOnAFreshModel() {
        if (config.adapter() == null || fineTune != null || resumption != null) {
            return;
        }
        notice("--adapter on a new model: only the adapter trains, over base weights left as initialised"
                + " (random); to fine-tune a trained model, give its checkpoint as --model");
    }

    /** The fine-tuned checkpoint's model, or a new one of {@code mc}. */
    private LanguageModel createModel(ModelConfig mc) {
        if (fineTune != null) {
            LanguageModel m = fineTune.createModel(services, config.seed());
            fineTune = null;
            return m;
        }
        return services.models().create(mc, config.seed());
    }

    /** The preset with the run's --config, --adapter and --activation, for the tokenizer now known. */
    private ModelConfig newModelConfig() {
        ModelConfig mc = ModelConfig.preset(config.model(), tokenizer.vocabSize());
        mc = mc.withAll(config.modelOverrides());
        requireTokenizersVocabulary(mc);
        if (config.adapter() != null) {
            mc = mc.with("adapter", config.adapter());
        }
        if (config.activation() != null) {
            mc = mc.with("activation", config.activation());
        }
        if (config.seq() > mc.context()) {
            throw new IllegalArgumentException("--seq: " + config.seq() + " exceeds the model's context " + mc.context());
        }
        return mc;
    }

    /**
     * A model's vocabulary is its tokenizer's: a smaller vocab_size in --config failed the run at the first id
     * past it, and a larger one would leave checkpoints that nothing loads (every loader wants the two equal).
     */
    private void requireTokenizersVocabulary(ModelConfig mc) {
        if (mc.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("--config: vocab_size " + mc.vocabSize() + " differs from the "
                    + tokenizer.vocabSize() + " ids of the tokenizer (" + config.tokenizer() + "); the vocabulary"
                    + " comes from the tokenizer: drop vocab_size from --config");
        }
    }

    private void restore(Resumption r, TrainingData data, Evaluations evaluations) {
        equipment.start(r.model(), r.optimizer(), r.optimizerFactory());
        TrainerState s = r.state();
        progress.restore(s.step(), s.lrScale());
        data.seek(s.dataPosition());
        board.figures(StepFigures.at(progress.step(), data.epoch(), s.loss()));
        evaluations.restore(s.evals(), s.sinceImprovement());
        journal.note("resume", "resumed from " + r.directory() + " at step " + progress.step());
        noteChangedData(s.dataFingerprint(), r.directory(), data);
    }

    /** Resuming on data that changed since the checkpoint goes on, but will not repeat the run it continues. */
    private void noteChangedData(String atCheckpoint, Path checkpoint, TrainingData data) {
        String now = data.sourceFingerprint();
        if (atCheckpoint != null && now != null && !atCheckpoint.equals(now)) {
            // a file's fingerprint is its size and modification time: a copy that did not keep the time reads as changed
            String why = config.data() + " changed since " + checkpoint + " was saved (or was copied without its"
                    + " modification times): the run goes on from the same position in the data as it is now, so it"
                    + " will not repeat the run it continues exactly if the text differs";
            journal.warn(why);
            notice(why);
        }
    }

    /** Something settled for the run that a user should know: a note in the metrics file, and the status. */
    private void notice(String why) {
        journal.note("notice", why);
        board.set(JobState.PREPARING, why);
    }

    private static String shortName(String fingerprint) {
        String clean = fingerprint.replaceAll("[^A-Za-z0-9]", "");
        return clean.length() > 16 ? clean.substring(0, 16) : clean;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

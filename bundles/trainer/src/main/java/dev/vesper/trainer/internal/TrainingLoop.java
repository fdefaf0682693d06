package dev.vesper.trainer.internal;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.LearningRateSchedule;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.files.FileErrors;
import dev.vesper.optim.support.Schedules;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The job's thread: prepares the run, then steps until done, stopped or failed. Everything that
 * changes the model or optimizer (swaps, reloads, waiting for services) happens here, at step
 * boundaries, so the numeric state is only ever touched by one thread.
 */
final class TrainingLoop implements Runnable {
    static final System.Logger LOG = System.getLogger("dev.vesper.trainer");
    /** Fraction of the documents held out for validation. */
    static final double VALIDATION_FRACTION = 0.1;
    private static final long WAIT_POLL_MS = 250;
    private static final int FAST_AVERAGE_STEPS = 10;
    /** How long after a service change a failing step counts as the services settling, not as a fault. */
    private static final long SERVICE_SETTLE_MS = 10_000;
    /** Recoveries in a row without a finite step, after which a lower rate is no longer tried. */
    static final int MAX_RELOADS = 3;

    private final String id;
    private final TrainingConfig config;
    private final Collaborators services;
    private final Path runDirectory;
    private final boolean folderExisted;
    private final Control control;
    private final Resumption resumption;
    /** Holds the checkpoint's weights until the model is made from them; let go of then, or on failure. */
    private FineTuneSource fineTune;
    private final Events events;
    private final CompletableFuture<JobStatus> completion = new CompletableFuture<>();
    private final History history = new History();
    private final Equipment equipment;

    private volatile Tokenizer tokenizer;
    private TokenDataset dataset;
    private BatchSampler trainSampler;
    private Evaluator evaluator;
    private TrainingStep trainingStep;
    private LearningRateSchedule schedule;
    private ConvergenceTracker convergence;
    private CheckpointRotation checkpoints;
    private MetricsLog metrics;

    private long batchesPerEpoch = 1;
    private long step;
    private double lrScale = 1.0;
    private int badSteps;
    private long lastEvalStep = -1;
    private long stepsTimed;

    // status figures, written by the job thread and read by any
    private volatile JobState state = JobState.PREPARING;
    private volatile String message;
    private volatile long totalSteps;
    private volatile StepFigures figures = StepFigures.NONE;
    private volatile double validationLoss = Double.NaN;
    private volatile long convergenceStep = -1;
    private volatile Path lastCheckpoint;
    /** The activation in use before the last switch, to go back to if the new one fails; null once it cannot. */
    private String activationBefore;
    /**
     * Recoveries since the run last got past the step that set them off ({@code troubleAt}), and the rate
     * scale before the first of them.
     */
    private int reloadsInARow;
    private long troubleAt = -1;
    private double scaleBeforeReloads;

    TrainingLoop(String id, TrainingConfig config, Collaborators services, Path runDirectory, Control control,
                 Resumption resumption, FineTuneSource fineTune) {
        this.id = id;
        this.config = config;
        this.services = services;
        this.runDirectory = runDirectory;
        this.folderExisted = Files.isDirectory(runDirectory);
        this.control = control;
        this.resumption = resumption;
        this.fineTune = fineTune;
        this.events = new Events(services.listeners());
        this.equipment = new Equipment(config, services, this::report,
                resumption != null ? resumption.state().optimizer() : config.optimizer());
        this.totalSteps = config.steps();
    }

    @Override
    public void run() {
        boolean prepared = false;
        try {
            prepare();
            prepared = true;
            train();
        } catch (Throwable t) {
            if (!prepared && resumption == null) {
                // before FAILED is seen: the same --out may be given again at once
                closeMetrics();
                removeUnstartedRun();
            }
            fail(t);
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
        } finally {
            closeQuietly();
            fineTune = null;
            completion.complete(status());
        }
    }

    /**
     * A new run that failed before its first step (bad data, a wrong option) leaves nothing a user would
     * want, only its failure, which the job's status keeps: remove what it wrote, so that its folder can
     * be named again. The folder was new or empty when the run started (Configs.requireNewFolder).
     */
    private void removeUnstartedRun() {
        try {
            Files.deleteIfExists(runDirectory.resolve(MetricsLog.FILE));
            Files.deleteIfExists(runDirectory.resolve(TokenizerResolver.RUN_FILE));
            if (!folderExisted) {
                Files.deleteIfExists(runDirectory);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job " + id + ": could not remove the failed run's files in " + runDirectory
                    + ": " + e.getMessage());
        }
    }

    // ---- preparation

    private void prepare() throws IOException {
        metrics = new MetricsLog(runDirectory);
        Path cache = cacheDirectory();
        setState(JobState.PREPARING, "preparing the tokenizer (" + config.tokenizer() + ")");
        tokenizer = resumption != null ? resumption.tokenizer() : fineTune != null ? fineTune.tokenizer()
                : new TokenizerResolver(services, runDirectory, cache).resolve(config);
        TokenizerResolver.writeRunCopy(runDirectory, tokenizer);
        if (fineTune != null) {
            // the checkpoint's tokenizer, not --tokenizer: trainer.json and a resume's checks must say so
            synchronized (config) {   // Job.config() copies it from other threads
                config.tokenizer(runDirectory.resolve(TokenizerResolver.RUN_FILE).toAbsolutePath().toString());
            }
        }
        setState(JobState.PREPARING, "tokenizing " + config.data() + " (" + tokenizer.kind() + ", "
                + tokenizer.vocabSize() + " ids)");
        // one token cache per tokenizer: the data service keeps one cache file per location in a directory
        Path tokens = cache.resolve("tokens-" + shortName(tokenizer.fingerprint()));
        dataset = services.data().tokens(config.data(), Configs.readOptions(config), tokenizer,
                new DatasetOptions(VALIDATION_FRACTION, true, config.seed(), tokens));
        noteSkippedLines();
        trainSampler = dataset.sampler(TokenDataset.Split.TRAIN, config.batch(), config.seq(), config.seed());
        batchesPerEpoch = Math.max(1, trainSampler.batchesPerEpoch());
        evaluator = makeEvaluator();
        if (config.epochs() > 0) {
            totalSteps = ceilDiv(config.epochs() * batchesPerEpoch, config.accumulate());
        }
        if (resumption == null) {
            useWarmup();
        }
        schedule = schedule();
        noteStretchedSchedule();
        noteAdapterOnAFreshModel();
        trainingStep = new TrainingStep(services.autograd(), config.batch(), config.seq(), config.accumulate(),
                config.clipNorm());
        convergence = new ConvergenceTracker(config.convergenceTolerance(), config.earlyStopPatience());
        checkpoints = new CheckpointRotation(services.checkpoints(), runDirectory, config.keepCheckpoints());
        setState(JobState.PREPARING, resumption != null ? "restoring " + resumption.directory()
                : "building model '" + config.model() + "'");
        if (resumption != null) {
            restore(resumption);
        } else {
            equipment.start(createModel());
        }
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
            note("notice", why);
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
            String why = "the validation split has too few tokens for seq " + config.seq() + ": no evaluation"
                    + " (the split takes whole documents: records of JSON data, paragraphs of plain text)";
            note("notice", why);
            setState(JobState.PREPARING, why);
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
        int used = Configs.warmup(config, totalSteps);
        String why = warmupNotice(config.warmup(), used);
        if (why != null) {
            note("notice", why);
            setState(JobState.PREPARING, why);
        }
        synchronized (config) {   // Job.config() copies it from other threads
            config.warmup(used);
        }
    }

    /** What to say of a warmup other than the one asked for (the default, capped), or of the whole run; or null. */
    private String warmupNotice(int given, int used) {
        if (config.schedule().equals("constant")) {
            return null;
        }
        if (used < given && used < totalSteps) {
            return "warmup " + used + (used == 1 ? " step" : " steps") + ": the default " + given + " capped at a third of the " + totalSteps
                    + "-step run (--warmup sets it)";
        }
        if (used >= totalSteps) {
            return "warmup " + used + (used == 1 ? " step" : " steps") + ": the whole " + totalSteps + "-step run, so the learning rate only"
                    + " climbs (a shorter --warmup, or --schedule constant, would let it decay)";
        }
        return null;
    }

    private LearningRateSchedule schedule() {
        return schedule(totalSteps);
    }

    private LearningRateSchedule schedule(long totalSteps) {
        if (config.schedule().equals("constant")) {
            return Schedules.constant(config.learningRate());
        }
        long total = Math.max(1, totalSteps);
        // a resumed run keeps its warmup, and may be given fewer --steps than that (they count from the start)
        return Schedules.warmupCosine(config.learningRate(), Math.min(config.warmup(), total), total,
                config.learningRate() * config.minLearningRateFraction());
    }

    /** A resumed run given another length: its cosine decays over the new one, so the rate moves; say how. */
    private void noteStretchedSchedule() {
        if (resumption == null || config.schedule().equals("constant") || resumption.state().totalSteps() == totalSteps) {
            return;
        }
        TrainerState at = resumption.state();
        long next = at.step() + 1;
        double was = schedule(at.totalSteps()).at(next) * at.lrScale();
        double now = schedule.at(next) * at.lrScale();
        String why = String.format(java.util.Locale.ROOT, "the cosine schedule now spans %d steps, not %d: the rate at"
                + " step %d is %.3g (it would have been %.3g)", totalSteps, resumption.state().totalSteps(), next, now, was);
        note("notice", why);
        setState(JobState.PREPARING, why);
    }

    /** An adapter on a new model trains over random base weights, which is seldom what was meant. */
    private void noteAdapterOnAFreshModel() {
        if (config.adapter() == null || fineTune != null || resumption != null) {
            return;
        }
        String why = "--adapter on a new model: only the adapter trains, over base weights left as initialised"
                + " (random); to fine-tune a trained model, give its checkpoint as --model";
        note("notice", why);
        setState(JobState.PREPARING, why);
    }

    private LanguageModel createModel() {
        ModelConfig mc;
        if (fineTune != null) {
            LanguageModel m = fineTune.createModel(services, config.seed());
            fineTune = null;
            return m;
        }
        mc = ModelConfig.preset(config.model(), tokenizer.vocabSize());
        mc = mc.withAll(config.modelOverrides());
        if (config.adapter() != null) {
            mc = mc.with("adapter", config.adapter());
        }
        if (config.activation() != null) {
            mc = mc.with("activation", config.activation());
        }
        if (config.seq() > mc.context()) {
            throw new IllegalArgumentException("--seq: " + config.seq() + " exceeds the model's context " + mc.context());
        }
        return services.models().create(mc, config.seed());
    }

    private void restore(Resumption r) {
        equipment.start(r.model(), r.optimizer(), r.optimizerFactory());
        TrainerState s = r.state();
        step = s.step();
        lrScale = s.lrScale();
        trainSampler.seek(s.dataPosition());
        figures = StepFigures.at(step, trainSampler.position() / batchesPerEpoch, s.loss());
        convergence.restore(s.evals(), s.sinceImprovement());
        for (ConvergenceTracker.Point p : s.evals()) {
            history.eval(p.step(), p.loss());
        }
        validationLoss = convergence.last();
        convergenceStep = convergence.convergenceStep();
        lastEvalStep = s.evals().isEmpty() ? -1 : s.evals().get(s.evals().size() - 1).step();
        note("resume", "resumed from " + r.directory() + " at step " + step);
        noteChangedData(s.dataFingerprint(), r.directory());
    }

    /** Resuming on data that changed since the checkpoint goes on, but will not repeat the run it continues. */
    private void noteChangedData(String atCheckpoint, Path checkpoint) {
        String now = dataset.sourceFingerprint();
        if (atCheckpoint != null && now != null && !atCheckpoint.equals(now)) {
            // a file's fingerprint is its size and modification time: a copy that did not keep the time reads as changed
            String why = config.data() + " changed since " + checkpoint + " was saved (or was copied without its"
                    + " modification times): the run goes on from the same position in the data as it is now, so it"
                    + " will not repeat the run it continues exactly if the text differs";
            LOG.log(Level.WARNING, "job " + id + ": " + why);
            note("notice", why);
            setState(JobState.PREPARING, why);
        }
    }

    // ---- the loop

    private void train() throws Exception {
        setState(JobState.RUNNING, null);
        while (step < totalSteps) {
            if (!boundary()) {
                end(JobState.STOPPED, "stopped at step " + step);
                return;
            }
            long position = trainSampler.position();
            try {
                if (!oneStep()) {
                    return;
                }
            } catch (PluginFailure e) {
                throw e;
            } catch (RuntimeException e) {
                if (!servicesInFlux()) {
                    PluginFault fault = PluginFault.find(e, equipment.activationName(),
                            services.activations().apply(equipment.activationName()), equipment.optimizerName(),
                            equipment.optimizer());
                    if (fault == null) {
                        throw e;
                    }
                    if (!outlive(fault, e, position)) {
                        return;
                    }
                    continue;
                }
                boolean missing = equipment.missingService() != null;
                // a service went away mid-step, or services are still settling (the model factory may see
                // an activation come or go a moment after this service does): forget the half-done step
                trainSampler.seek(position);
                StepRunner.zeroGrads(equipment.model().trainableParameters());
                equipment.model().afterSkippedStep();
                String why = "step " + (step + 1) + " interrupted while services change: " + e.getMessage();
                LOG.log(Level.WARNING, "job " + id + ": " + why);
                if (!missing) {
                    note("waiting", why);
                    setState(JobState.WAITING, why);
                    control.await(WAIT_POLL_MS);
                }
                continue;
            }
            if (evaluator != null && config.evalEvery() > 0 && step % config.evalEvery() == 0) {
                evaluateUnlessServicesAreAway();
                if (convergence.shouldStop()) {
                    end(JobState.FINISHED, "stopped early at step " + step + ": no improvement in "
                            + config.earlyStopPatience() + " evaluations");
                    return;
                }
            }
            // weights the loss does not read (an untied head's unused rows) may be non-finite with every step finite
            if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 && checkpoint() == null
                    && !recoverFromBadWeights()) {
                return;
            }
        }
        end(JobState.FINISHED, null);
    }

    /**
     * Applies what other threads asked for and makes sure the services are there. Returns false
     * when the job is to stop; blocks while paused or waiting for a service.
     */
    private boolean boundary() throws InterruptedException {
        while (true) {
            if (control.stopRequested()) {
                return false;
            }
            if (control.pauseRequested()) {
                if (state != JobState.PAUSED) {
                    setState(JobState.PAUSED, "paused at step " + step);
                }
                control.await(1000);
                continue;
            }
            applySwitches();
            String missing = equipment.ensureServices();
            if (missing != null) {
                if (state != JobState.WAITING || !missing.equals(message)) {
                    LOG.log(Level.WARNING, "job " + id + ": " + missing);
                    note("waiting", missing);
                    setState(JobState.WAITING, missing);
                }
                control.await(WAIT_POLL_MS);
                continue;
            }
            if (state != JobState.RUNNING) {
                setState(JobState.RUNNING, state == JobState.WAITING
                        ? "resumed: " + Equipment.resumed(message)
                        : null);
            }
            return true;
        }
    }

    /** Returns whether the run goes on: false once recovery has given up and ended it. */
    private boolean oneStep() throws IOException {
        long start = System.nanoTime();
        long next = step + 1;
        double lr = schedule.at(next) * lrScale;
        TrainingStep.Outcome o = trainingStep.run(equipment.model(), equipment.optimizer(), trainSampler::next,
                Seeds.forStep(config.seed(), next), lr);
        if (o.stepped()) {
            badSteps = 0;
            if (next > troubleAt) {
                reloadsInARow = 0;
            }
        } else {
            badSteps++;
            String why = "step " + next + " skipped: loss " + o.result().loss() + ", gradient norm " + o.gradNorm()
                    + " (" + badSteps + " in a row)";
            LOG.log(Level.WARNING, "job " + id + ": " + why);
            note("skip", why);
        }
        step = next;
        double ms = (System.nanoTime() - start) / 1e6;
        double tps = trainingStep.tokensPerStep() / (ms / 1000.0);
        recordStep(o.result(), o.gradNorm(), o.stepped() ? o.stats().learningRate() : lr, o.stats(), ms, tps,
                !o.stepped());
        if (!o.stepped() && !FiniteWeights.of(equipment.model())) {
            return recoverFromBadWeights();
        }
        return badSteps < config.maxBadSteps() || recover(config.maxBadSteps() + " non-finite steps in a row");
    }

    private void recordStep(StepRunner.Result r, double norm, double lr, StepStats stats, double ms, double tps,
                            boolean skipped) throws IOException {
        long epoch = trainSampler.position() / batchesPerEpoch;
        // the first steps run while the JIT compiles the kernels, several times slower than the rest: a fast
        // average at first lets the ETA forget them within a few steps, a slow one then keeps it steady
        double weight = ++stepsTimed <= FAST_AVERAGE_STEPS ? 0.5 : 0.1;
        figures = figures.after(step, epoch, r.loss(), skipped, lr, norm, ms, weight, trainingStep.tokensPerStep());
        history.step(step, r.loss());
        StepEvent e = new StepEvent(id, step, epoch, r.loss(), r.entropy(), lr, stats.beta1(),
                stats.skippedFraction(), norm, ms, tps, skipped);
        metrics.step(e);
        events.step(e);
    }

    /** A service that goes away between a step and its evaluation costs that evaluation, not the run. */
    private void evaluateUnlessServicesAreAway() throws IOException {
        try {
            evaluate();
        } catch (RuntimeException e) {
            if (!servicesInFlux()) {
                throw e;
            }
            String why = "evaluation at step " + step + " skipped while services change: " + e.getMessage();
            LOG.log(Level.WARNING, "job " + id + ": " + why);
            note("notice", why);
        }
    }

    /** Is a service of the job missing, or did services come or go a moment ago? */
    private boolean servicesInFlux() {
        return equipment.missingService() != null || control.millisSinceServiceChange() < SERVICE_SETTLE_MS;
    }

    private void evaluate() throws IOException {
        Evaluator.Result r = evaluator.evaluate(equipment.model());
        lastEvalStep = step;
        convergence.add(step, r.loss());
        history.eval(step, r.loss());
        validationLoss = r.loss();
        convergenceStep = convergence.convergenceStep();
        EvalEvent e = new EvalEvent(id, step, r.loss(), r.tokens());
        metrics.eval(e);
        events.eval(e);
    }

    // ---- services, switches and faults

    private void applySwitches() {
        String activation = control.takeActivationSwitch();
        if (activation != null) {
            String before = equipment.activationName();
            equipment.switchActivation(activation, step);
            if (!before.equals(equipment.activationName())) {
                activationBefore = before;
            }
        }
        Control.OptimizerSwitch sw = control.takeOptimizerSwitch();
        if (sw != null) {
            equipment.switchOptimizer(sw.name(), sw.freshState(), step);
        }
    }

    /**
     * Equipment's reports: a line in the log and the metrics file, and the status message. The outcome of a
     * switch request replaces the message, so that an earlier refusal does not outlive the next request, and
     * goes to the listeners, so that whoever asked can tell applied from refused without polling.
     */
    private void report(String kind, String text) {
        boolean outcome = kind.equals("switch") || kind.equals("refused") || kind.equals("unchanged");
        // an outcome answers whoever asked, through the listeners (vesper:use prints it): a warning would say it twice
        LOG.log(outcome ? Level.INFO : Level.WARNING, "job " + id + ": " + text);
        note(kind, text);
        message = text;
        if (outcome) {
            events.stateChange(status());
        }
    }

    /**
     * A step failed in a plug-in. The step is forgotten. An activation cannot have touched the weights: the
     * run goes back to the activation it had before a switch, or else stops with a checkpoint of the last
     * good step. An optimizer's update may have changed the weights part-way, so the run ends there, naming
     * the checkpoint to go on from. Returns whether the run goes on.
     */
    private boolean outlive(PluginFault fault, RuntimeException failure, long position) throws IOException {
        trainSampler.seek(position);
        StepRunner.zeroGrads(equipment.model().trainableParameters());
        equipment.model().afterSkippedStep();
        String why = "step " + (step + 1) + " failed in " + fault;
        LOG.log(Level.WARNING, "job " + id + ": " + why);
        LOG.log(Level.DEBUG, "job " + id + ": where the " + fault.kind() + " failed, for its author", failure);
        note("fault", why);
        if (!fault.isActivation()) {
            Path resumable = lastCheckpoint != null ? lastCheckpoint : resumption != null ? resumption.directory() : null;
            throw new PluginFailure(why + "; its update may have changed weights part-way, so the run ends here"
                    + (resumable != null ? ": resume from " + resumable : ""), failure);
        }
        return backToActivationBefore(why, "");
    }

    /**
     * Goes back to the activation in use before the last switch, if it is still installed, saying {@code why};
     * or else stops the run with a checkpoint. Returns whether the run goes on.
     */
    private boolean backToActivationBefore(String why, String how) throws IOException {
        String back = activationBefore;
        activationBefore = null;
        if (back != null && services.activations().apply(back) != null) {
            equipment.switchActivation(back, step);
            if (equipment.activationName().equals(back)) {
                message = why + "; back to activation '" + back + "'" + how + ", and the run goes on";
                LOG.log(Level.WARNING, "job " + id + ": " + message);
                note("notice", message);
                return true;
            }
        }
        // no last evaluation: it would run the failed activation again
        end(JobState.STOPPED, why + "; stopped at step " + step, false);
        return false;
    }

    /**
     * After too many non-finite steps in a row: back to the last checkpoint, at half the rate. When that
     * has not brought one finite step {@value #MAX_RELOADS} times over, the rate is not the cause: the run
     * goes back to the activation it had before a switch, at the rate it had, or else stops. Returns
     * whether the run goes on.
     */
    private boolean recover(String reason) throws IOException {
        badSteps = 0;
        if (reloadsInARow == 0) {
            scaleBeforeReloads = lrScale;
        }
        reloadsInARow++;
        troubleAt = Math.max(troubleAt, step);
        lrScale *= 0.5;
        Path from = reloadSource();
        String what;
        if (from == null) {
            what = reason + " and no checkpoint yet: learning rate halved (x"
                    + lrScale + ")";
        } else {
            Checkpoint c = services.checkpoints().load(from);
            equipment.reload(c, from);
            TrainerState s = TrainerState.parse(c.trainerJson(), from.resolve(CheckpointLayout.TRAINER).toString());
            step = s.step();
            trainSampler.seek(s.dataPosition());
            // the status goes back with the run, or it would report the skipped steps as done
            figures = figures.reloaded(step, trainSampler.position() / batchesPerEpoch, s.loss());
            what = reason + ": reloaded " + from + " (step " + step
                    + ") with the learning rate halved (x" + lrScale + ")";
        }
        LOG.log(Level.WARNING, "job " + id + ": " + what);
        note("recover", what);
        message = what;
        return reloadsInARow < MAX_RELOADS || giveUpRecovering();
    }

    private static String bundleNote(Object plugin) {
        String bundle = PluginFault.bundleOf(plugin);
        return bundle == null ? "" : " (bundle " + bundle + ")";
    }

    /** The checkpoint a recovery goes back to: this job's latest, or the one it resumed from; null when none. */
    private Path reloadSource() {
        return checkpoints.latest() != null ? checkpoints.latest() : resumption != null ? resumption.directory() : null;
    }

    /**
     * The weights are non-finite (a skipped step, or a checkpoint, found them so): an update made them so, and
     * training on cannot mend them. Back to the last checkpoint at half the rate, as {@link #recover} does;
     * without one, or when reloads have not got the run past this point {@value #MAX_RELOADS} times over, the
     * optimizer is the cause and the run ends, with nothing saved.
     */
    private boolean recoverFromBadWeights() throws IOException {
        String why = "the weights are no longer finite at step " + step + ", updated by "
                + Equipment.describe(equipment.optimizerName(), equipment.optimizer());
        Path from = reloadSource();
        if (from == null) {
            throw new PluginFailure(why + ", and there is no checkpoint to go back to: the run ends here, nothing"
                    + " saved", null);
        }
        if (reloadsInARow + 1 >= MAX_RELOADS) {
            throw new PluginFailure(why + ", again after " + reloadsInARow + " reloads at lower rates: the run ends"
                    + " here, nothing saved; resume from " + from + " (vesper:use optimizer NAME then switches)", null);
        }
        LOG.log(Level.WARNING, "job " + id + ": " + why);
        note("fault", why);
        return recover("non-finite weights");
    }

    private boolean giveUpRecovering() throws IOException {
        String why = MAX_RELOADS + " recoveries in a row, down to x" + lrScale + " the rate, brought no finite step:"
                + " the rate is not the cause (in use: " + Equipment.describe(equipment.optimizerName(), equipment.optimizer())
                + ", activation '" + equipment.activationName() + "'" + bundleNote(services.activations()
                .apply(equipment.activationName())) + ")";
        reloadsInARow = 0;
        lrScale = scaleBeforeReloads;
        return backToActivationBefore(why, " at the rate before");
    }

    // ---- ends

    private void end(JobState end, String why) throws IOException {
        end(end, why, true);
    }

    private void end(JobState end, String why, boolean lastEvaluation) throws IOException {
        if (!FiniteWeights.of(equipment.model())) {
            failWithBadWeights(why);
            return;
        }
        if (lastEvaluation && evaluator != null && config.evalEvery() > 0 && lastEvalStep != step && step > 0
                && equipment.missingService() == null) {
            evaluate();
        }
        Path ck = checkpoint();
        renderChartQuietly();
        String text = (why != null ? why + "; " : "") + "checkpoint " + ck;
        setState(end, text);
    }

    /** The run ends on non-finite weights: nothing is evaluated or saved, and the last good checkpoint is named. */
    private void failWithBadWeights(String why) {
        Path good = reloadSource();
        String text = (why != null ? why + "; " : "") + "the weights are not finite at step " + step
                + ", so no checkpoint was written" + (good != null ? "; the last good one is " + good : "");
        LOG.log(Level.WARNING, "job " + id + ": " + text);
        note("failed", text);
        renderChartQuietly();
        setState(JobState.FAILED, text);
    }

    /**
     * Saves the run as it is now; returns its folder, or null when the weights are not finite (nothing is
     * written then; the caller goes back or ends the run).
     *
     * @throws PluginFailure when the optimizer cannot export its state, naming the checkpoint to resume from
     */
    Path checkpoint() throws IOException {
        if (!FiniteWeights.of(equipment.model())) {
            return null;
        }
        OptimizerState os;
        try {
            os = equipment.optimizerState();
        } catch (PluginFailure e) {
            Path good = reloadSource();
            throw new PluginFailure(e.getMessage() + " for the checkpoint of step " + step + ": the run ends here"
                    + (good != null ? "; resume from " + good : ""), e.getCause());
        }
        StepFigures f = figures;
        TrainerState ts = new TrainerState(step, trainSampler.position() / batchesPerEpoch, trainSampler.position(),
                totalSteps, lrScale, equipment.optimizerName(), equipment.activationName(), f.loss(), convergence.points(), convergence.sinceImprovement(), Configs.toMap(config),
                dataset.sourceFingerprint());
        long bestStep = -1;
        for (ConvergenceTracker.Point p : convergence.points()) {
            if (p.loss() == convergence.best()) {
                bestStep = p.step();
                break;
            }
        }
        LanguageModel model = equipment.model();
        ModelConfig mc = model.config();
        Checkpoint c = new Checkpoint(mc, model.weights(false), mc.hasAdapter() ? model.weights(true) : null, os,
                ts.toJson(bestStep, convergence.best(), convergence.convergenceStep()), tokenizer.toJson());
        Path dir = checkpoints.save(step, c);
        if (!dir.equals(lastCheckpoint)) {
            lastCheckpoint = dir;
            note("checkpoint", dir.toString());
        }
        return dir;
    }

    private void fail(Throwable t) {
        String why = t instanceof java.nio.file.FileSystemException f ? FileErrors.describe(f)
                : t.getMessage() != null ? t.getMessage() : t.toString();
        if (t instanceof OutOfMemoryError) {
            // while preparing, the data and the tokenizer's training take the memory, which batch and seq do not touch
            why = "out of memory (" + why + ")" + (state == JobState.PREPARING
                    ? " while preparing the run (reading the data, training the tokenizer, building the model): give"
                    + " the JVM more heap, e.g. VESPER_JAVA_OPTS=-Xmx4g"
                    : ": try a smaller --batch or --seq, or give the JVM more heap (VESPER_JAVA_OPTS=-Xmx4g)");
        }
        if (t instanceof dev.vesper.api.data.MalformedInputException bad && bad.skippable() && !config.skipBadLines()) {
            why += " (--skip-bad-lines counts and skips such lines)";
        }
        // Bad input (a missing file, a wrong option, an unreachable Hub), and a plug-in's fault, reach the user through
        // the job's status and the command that started it; only a failure of the trainer itself is an error worth the
        // terminal's log line.
        boolean input = t instanceof IOException || t instanceof IllegalArgumentException || t instanceof PluginFailure;
        // the stack of a bad input is no one's business; an embedding application's logging would print it
        LOG.log(input ? Level.INFO : Level.ERROR, "job " + id + " failed: " + why, input ? null : t);
        if (input) {
            LOG.log(Level.DEBUG, "job " + id + " failed here", t);
        }
        try {
            note("failed", why);
        } catch (RuntimeException ignored) {
            // the metrics file itself may be what failed
        }
        setState(JobState.FAILED, why);
    }

    Path renderChart() throws IOException {
        double[][] s = history.snapshot();
        return LossChart.render(runDirectory.resolve(LossChart.FILE), chartTitle(), s[0], s[1], s[2], s[3]);
    }

    /** The job and every optimizer it ran with, such as "job 1 (adamw, velvet after step 150)". */
    String chartTitle() {
        return "job " + id + " (" + equipment.optimizersUsed() + ")";
    }

    LossChart.Run chartRun() {
        double[][] s = history.snapshot();
        return new LossChart.Run("job " + id + " " + equipment.optimizersUsed(), s[0], s[1], s[2], s[3]);
    }

    private void renderChartQuietly() {
        if (history.isEmpty()) {
            return;
        }
        try {
            renderChart();
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "job " + id + ": could not render the chart: " + e, e);
        }
    }

    private void note(String kind, String text) {
        if (metrics == null) {
            return;
        }
        try {
            metrics.note(step, kind, text);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job " + id + ": could not write " + MetricsLog.FILE + ": " + e.getMessage());
        }
    }

    private void setState(JobState s, String why) {
        state = s;
        message = why;
        events.stateChange(status());
    }

    private void closeQuietly() {
        closeMetrics();
        try {
            if (dataset != null) {
                dataset.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + id + ": " + e.getMessage());
        }
    }

    /** Closes the metrics file; notes after this are not written. */
    private void closeMetrics() {
        try {
            if (metrics != null) {
                metrics.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "job " + id + ": " + e.getMessage());
        } finally {
            metrics = null;
        }
    }

    // ---- views for other threads

    JobStatus status() {
        Runtime rt = Runtime.getRuntime();
        StepFigures f = figures;
        double eta = Double.isNaN(f.msPerStep()) || state.ended() ? Double.NaN
                : Math.max(0, totalSteps - f.step()) * f.msPerStep() / 1000.0;
        return new JobStatus(id, state, f.step(), totalSteps, f.epoch(), f.loss(), f.learningRate(), f.gradNorm(),
                f.tokensPerSecond(), f.msPerStep(), rt.totalMemory() - rt.freeMemory(), eta, validationLoss, convergenceStep,
                equipment.optimizerName(), equipment.activationName(), message);
    }

    JobState state() {
        return state;
    }

    CompletableFuture<JobStatus> completion() {
        return completion;
    }

    LanguageModel model() {
        return equipment.model();
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    Path lastCheckpoint() {
        return lastCheckpoint;
    }

    private static String shortName(String fingerprint) {
        String clean = fingerprint.replaceAll("[^A-Za-z0-9]", "");
        return clean.length() > 16 ? clean.substring(0, 16) : clean;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

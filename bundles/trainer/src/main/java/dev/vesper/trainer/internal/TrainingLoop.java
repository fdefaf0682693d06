package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.LearningRateSchedule;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.files.FileErrors;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The job's thread: prepares the run, then steps until done, stopped or failed. Everything that
 * changes the model or optimizer (swaps, reloads, waiting for services) happens here, at step
 * boundaries, so the numeric state is only ever touched by one thread.
 */
final class TrainingLoop implements Runnable {
    static final System.Logger LOG = System.getLogger("dev.vesper.trainer");
    private static final long WAIT_POLL_MS = 250;
    /** How long after a service change a failing step counts as the services settling, not as a fault. */
    private static final long SERVICE_SETTLE_MS = 10_000;
    /**
     * How long a step that failed with no service change in sight waits for word of one before the failure
     * counts: DS tells the services' users one after another, so the model factory may lose an activation (and
     * the step fail) a moment before the trainer hears that it went.
     */
    private static final long SERVICE_NEWS_MS = 1_000;

    private final String id;
    private final TrainingConfig config;
    private final Collaborators services;
    private final Path runDirectory;
    /** Whether the folder is the run's own (claimed for it, or not there before): a failed start removes it. */
    private final boolean folderMadeForIt;
    private final Control control;
    private final Resumption resumption;
    private final CompletableFuture<JobStatus> completion = new CompletableFuture<>();
    private final Progress progress = new Progress();
    private final Equipment equipment;
    private final StatusBoard board;
    private final Journal journal;
    private final RunChart chart;
    private final RunCheckpoints checkpoints;
    private final Preparation preparation;

    /** Whether Vesper is shutting down: its plug-ins' services then go first, and the job is stopped next. */
    private final java.util.function.BooleanSupplier platformStopping;

    /** Guards {@link #preparing}: a stop interrupts the job's thread only while it prepares. */
    private final Object preparingLock = new Object();
    /** The job's thread while it prepares the run, else null. */
    private Thread preparing;

    // made by the preparation
    private TrainingData data;
    private Evaluations evaluations;
    private LearningRateSchedule schedule;
    private TrainingStep trainingStep;
    private Recovery recovery;

    TrainingLoop(String id, TrainingConfig config, Collaborators services, Path runDirectory, boolean folderMadeForIt,
                 Control control, Resumption resumption, FineTuneSource fineTune,
                 java.util.function.BooleanSupplier platformStopping) {
        this.id = id;
        this.platformStopping = platformStopping;
        this.config = config;
        this.services = services;
        this.runDirectory = runDirectory;
        this.folderMadeForIt = folderMadeForIt;
        this.control = control;
        this.resumption = resumption;
        Events events = new Events(services.listeners());
        this.equipment = new Equipment(config, services, this::report,
                resumption != null ? resumption.state().optimizer() : config.optimizer());
        this.board = new StatusBoard(id, equipment, events, config.steps());
        this.journal = new Journal(id, progress, events);
        this.chart = new RunChart(id, runDirectory, equipment);
        this.checkpoints = new RunCheckpoints(services.checkpoints(), runDirectory, config.keepCheckpoints(),
                resumption != null ? resumption.directory() : null, journal);
        this.preparation = new Preparation(config, services, runDirectory, resumption, fineTune, equipment, progress,
                board, journal, chart);
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
                // before FAILED (or STOPPED) is seen: the same --out may be given again at once
                journal.close();
                removeUnstartedRun();
            }
            if (!prepared && control.stopRequested() && !(t instanceof Error)) {
                stoppedWhilePreparing(t);
                return;
            }
            fail(t);
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
        } finally {
            journal.close();
            preparation.close();
            releaseTrainingState();
            completion.complete(status());
        }
    }

    /**
     * An ended job keeps its model (generate, chat, the hand-over) and its figures, not what training needed:
     * the optimizer's moments, the gradients and the data, twice or thrice the model's size, would otherwise stay
     * for as long as the job is listed.
     */
    private void releaseTrainingState() {
        equipment.releaseOptimizer();
        LanguageModel m = equipment.model();
        if (m != null) {
            for (Parameter p : m.trainableParameters()) {
                p.value().setGrad(null);
            }
        }
        data = null;
        evaluations = null;
        trainingStep = null;
        recovery = null;
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
            if (folderMadeForIt) {
                Files.deleteIfExists(runDirectory);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "job " + id + ": could not remove the failed run's files in " + runDirectory
                    + ": " + e.getMessage());
        }
    }

    private void prepare() throws IOException {
        journal.open(runDirectory);
        Preparation.Run run;
        synchronized (preparingLock) {
            preparing = Thread.currentThread();
        }
        try {
            run = preparation.prepare();
        } finally {
            synchronized (preparingLock) {
                preparing = null;
            }
            Thread.interrupted();   // a stop's interrupt that came too late to end it: the stop itself is in control
        }
        data = run.data();
        evaluations = run.evaluations();
        schedule = run.schedule();
        trainingStep = run.trainingStep();
        recovery = new Recovery(services.activations(), equipment, progress, data, checkpoints, board, journal,
                config.maxBadSteps(), why -> end(JobState.STOPPED, why, false));
    }

    /**
     * A stop while the run prepares interrupts it: a download or a read that waits on the network (a stalled Hub)
     * would otherwise hold the job in PREPARING until it ends, however long that is. What the interrupt ends
     * throws; the job then ends STOPPED, not FAILED. Code that ignores the interrupt just finishes first.
     */
    void interruptPreparation() {
        synchronized (preparingLock) {
            if (preparing != null) {
                preparing.interrupt();
            }
        }
    }

    /** Stopped before its first step: no model to save, so no checkpoint; why it was stopped, if not asked. */
    private void stoppedWhilePreparing(Throwable t) {
        String reason = control.stopReason();
        String why = "stopped while preparing the run" + (reason == null ? "" : ": " + reason);
        LOG.log(Level.DEBUG, "job " + id + ": " + why + "; preparing ended with", t);
        journal.note("stopped", why);
        board.set(JobState.STOPPED, why);
    }

    // ---- the loop

    private void train() throws Exception {
        board.set(JobState.RUNNING, null);
        while (progress.step() < board.totalSteps()) {
            if (!boundary()) {
                String reason = control.stopReason();
                end(JobState.STOPPED, "stopped at step " + progress.step() + (reason == null ? "" : ": " + reason));
                return;
            }
            long dataPosition = data.position();
            try {
                if (!oneStep()) {
                    return;
                }
            } catch (PluginFailure e) {
                throw e;
            } catch (RuntimeException e) {
                if (!afterFailedStep(e, dataPosition)) {
                    return;
                }
                continue;
            }
            long step = progress.step();
            if (evaluations.dueAt(step)) {
                evaluateUnlessServicesAreAway();
                if (evaluations.patienceRanOut()) {
                    end(JobState.FINISHED, "stopped early at step " + step + ": no improvement in "
                            + config.earlyStopPatience() + " evaluations");
                    return;
                }
            }
            // weights the loss does not read (an untied head's unused rows) may be non-finite with every step finite
            if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 && checkpoint() == null
                    && !recovery.fromBadWeights()) {
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
                if (board.state() != JobState.PAUSED) {
                    board.set(JobState.PAUSED, "paused at step " + progress.step());
                }
                control.await(1000);
                continue;
            }
            applySwitches();
            String missing = equipment.ensureServices();
            if (missing != null) {
                // as Vesper shuts down, the plug-ins' services go before the trainer stops the job: no news
                boolean news = !platformStopping.getAsBoolean();
                if (news && (board.state() != JobState.WAITING || !missing.equals(board.message()))) {
                    journal.warn(missing);
                    journal.note("waiting", missing);
                    board.set(JobState.WAITING, missing);
                }
                control.await(WAIT_POLL_MS);
                continue;
            }
            if (board.state() != JobState.RUNNING) {
                board.set(JobState.RUNNING, board.state() == JobState.WAITING
                        ? "resumed: " + Equipment.resumed(board.message())
                        : null);
            }
            return true;
        }
    }

    /** Returns whether the run goes on: false once recovery has given up and ended it. */
    private boolean oneStep() throws IOException {
        long start = System.nanoTime();
        long next = progress.next();
        double lr = schedule.at(next) * progress.lrScale();
        TrainingStep.Outcome o = trainingStep.run(equipment.model(), equipment.optimizer(), data::next,
                Seeds.forStep(config.seed(), next), lr);
        recovery.count(o, next);
        progress.advance();
        double ms = (System.nanoTime() - start) / 1e6;
        double tps = trainingStep.tokensPerStep() / (ms / 1000.0);
        recordStep(o.result(), o.gradNorm(), o.stepped() ? o.stats().learningRate() : lr, o.stats(), ms, tps,
                !o.stepped());
        return recovery.afterStep(o);
    }

    private void recordStep(StepRunner.Result r, double norm, double lr, StepStats stats, double ms, double tps,
                            boolean skipped) throws IOException {
        long step = progress.step();
        long epoch = data.epoch();
        board.stepped(step, epoch, r.loss(), skipped, lr, norm, ms, trainingStep.tokensPerStep());
        chart.step(step, r.loss());
        journal.step(new StepEvent(id, step, epoch, r.loss(), r.entropy(), lr, stats.beta1(),
                stats.skippedFraction(), norm, ms, tps, skipped));
    }

    /**
     * A step threw. A plug-in's fault is outlived where it can be; while services change (one went away
     * mid-step, the model factory has yet to see an activation come or go, or has seen it go a moment before
     * the trainer hears of it) the run waits them out; anything
     * else is the trainer's own failure and is thrown. Returns whether the run goes on.
     */
    private boolean afterFailedStep(RuntimeException e, long dataPosition) throws IOException, InterruptedException {
        if (!servicesChanging()) {
            PluginFault fault = PluginFault.find(e, equipment.activationName(),
                    services.activations().apply(equipment.activationName()), equipment.optimizerName(),
                    equipment.optimizer());
            if (fault == null) {
                throw e;
            }
            forgetStep(dataPosition);
            return recovery.outlive(fault, e);
        }
        boolean missing = equipment.missingService() != null;
        forgetStep(dataPosition);
        String why = "step " + progress.next() + " interrupted while services change: " + e.getMessage();
        if (platformStopping.getAsBoolean()) {
            return true;   // the stop follows
        }
        journal.warn(why);
        if (!missing) {
            journal.note("waiting", why);
            board.set(JobState.WAITING, why);
            control.await(WAIT_POLL_MS);
        }
        return true;
    }

    /** Forgets a half-done step: the data goes back to where it was, the gradients to zero. */
    private void forgetStep(long dataPosition) {
        data.seek(dataPosition);
        StepRunner.zeroGrads(equipment.model().trainableParameters());
        equipment.model().afterSkippedStep();
    }

    /** A service that goes away between a step and its evaluation costs that evaluation, not the run. */
    private void evaluateUnlessServicesAreAway() throws IOException, InterruptedException {
        try {
            evaluations.evaluate(equipment.model(), progress.step());
        } catch (RuntimeException e) {
            if (!servicesChanging()) {
                throw e;
            }
            String why = "evaluation at step " + progress.step() + " skipped while services change: " + e.getMessage();
            journal.warn(why);
            journal.note("notice", why);
        }
    }

    /** Is a service of the job missing, or did services come or go a moment ago? */
    private boolean servicesInFlux() {
        return equipment.missingService() != null || control.millisSinceServiceChange() < SERVICE_SETTLE_MS;
    }

    /**
     * After a failure: are services in flux, or do they come or go within {@link #SERVICE_NEWS_MS}? (The failure
     * may be the first sign of a change the trainer has yet to hear of.)
     */
    private boolean servicesChanging() throws InterruptedException {
        return servicesInFlux() || control.awaitServiceChange(SERVICE_NEWS_MS);
    }

    // ---- switches

    private void applySwitches() {
        String activation = control.takeActivationSwitch();
        if (activation != null) {
            String before = equipment.activationName();
            equipment.switchActivation(activation, progress.step());
            if (!before.equals(equipment.activationName())) {
                recovery.switchedFrom(before);
            }
        }
        Control.OptimizerSwitch sw = control.takeOptimizerSwitch();
        if (sw != null) {
            equipment.switchOptimizer(sw.name(), sw.freshState(), progress.step());
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
        journal.note(kind, text);
        board.say(text);
        if (outcome) {
            board.announce();
        }
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
        if (lastEvaluation && evaluations.lastOneDueAt(progress.step()) && equipment.missingService() == null) {
            evaluations.evaluate(equipment.model(), progress.step());
        }
        Path ck = checkpoint();
        chart.renderQuietly();
        String text = (why != null ? why + "; " : "") + "checkpoint " + ck;
        board.set(end, text);
    }

    /** The run ends on non-finite weights: nothing is evaluated or saved, and the last good checkpoint is named. */
    private void failWithBadWeights(String why) {
        Path good = checkpoints.reloadSource();
        String text = (why != null ? why + "; " : "") + "the weights are not finite at step " + progress.step()
                + ", so no checkpoint was written" + (good != null ? "; the last good one is " + good : "");
        journal.warn(text);
        journal.note("failed", text);
        chart.renderQuietly();
        board.set(JobState.FAILED, text);
    }

    /**
     * Saves the run as it is now; returns its folder, or null when the weights are not finite (nothing is
     * written then; the caller goes back or ends the run).
     *
     * @throws PluginFailure when the optimizer cannot export its state, naming the checkpoint to resume from
     */
    private Path checkpoint() throws IOException {
        if (!FiniteWeights.of(equipment.model())) {
            return null;
        }
        OptimizerState os;
        try {
            os = equipment.optimizerState();
        } catch (PluginFailure e) {
            Path good = checkpoints.reloadSource();
            throw new PluginFailure(e.getMessage() + " for the checkpoint of step " + progress.step()
                    + ": the run ends here" + (good != null ? "; resume from " + good : ""), e.getCause());
        }
        ConvergenceTracker evals = evaluations.convergence();
        TrainerState ts = new TrainerState(progress.step(), data.epoch(), data.position(), board.totalSteps(),
                progress.lrScale(), equipment.optimizerName(), equipment.activationName(), board.figures().loss(),
                evals.points(), evals.sinceImprovement(), Configs.toMap(config), data.sourceFingerprint());
        LanguageModel model = equipment.model();
        ModelConfig mc = model.config();
        Checkpoint c = new Checkpoint(mc, model.weights(false), mc.hasAdapter() ? model.weights(true) : null, os,
                ts.toJson(evals.bestStep(), evals.best(), evals.convergenceStep()), data.tokenizer().toJson());
        return checkpoints.save(progress.step(), c);
    }

    private void fail(Throwable t) {
        String why = t instanceof java.nio.file.FileSystemException f ? FileErrors.describe(f)
                : t.getMessage() != null ? t.getMessage() : t.toString();
        if (t instanceof OutOfMemoryError) {
            // while preparing, the data and the tokenizer's training take the memory, which batch and seq do not touch
            why = "out of memory (" + why + ")" + (board.state() == JobState.PREPARING
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
            journal.note("failed", why);
        } catch (RuntimeException ignored) {
            // the metrics file itself may be what failed
        }
        board.set(JobState.FAILED, why);
    }

    // ---- views for other threads

    JobStatus status() {
        return board.status();
    }

    JobState state() {
        return board.state();
    }

    CompletableFuture<JobStatus> completion() {
        return completion;
    }

    LanguageModel model() {
        return equipment.model();
    }

    /** See {@link Equipment#loosenModel}; only for an ended job. */
    void loosenModel() {
        if (board.state().ended()) {
            equipment.loosenModel();
        }
    }

    /** A loosened model's reference, for a test to let it go. */
    java.lang.ref.SoftReference<LanguageModel> looseModelReference() {
        return equipment.looseModelReference();
    }

    Tokenizer tokenizer() {
        return preparation.tokenizer();
    }

    Path lastCheckpoint() {
        return checkpoints.last();
    }

    RunChart chart() {
        return chart;
    }
}

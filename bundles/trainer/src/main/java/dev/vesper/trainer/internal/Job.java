package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A training job: its own thread runs the loop; the methods here only leave requests for it. */
public final class Job implements TrainingJob {
    private final String id;
    private final TrainingConfig config;
    private final Collaborators services;
    private final Path runDirectory;
    private final Control control = new Control();
    private final TrainingLoop loop;
    private final Thread thread;
    private volatile CompletableFuture<JobStatus> completion;

    /**
     * {@code folderMadeForIt}: whether a new run that fails before its first step removes its folder;
     * {@code platformStopping}: whether Vesper is shutting down, when the services it needs go without a word.
     */
    public Job(String id, TrainingConfig config, Collaborators services, Path runDirectory, boolean folderMadeForIt,
               Resumption resumption, FineTuneSource fineTune, java.util.function.BooleanSupplier platformStopping) {
        this.id = id;
        this.config = config;
        this.services = services;
        this.runDirectory = runDirectory;
        this.loop = new TrainingLoop(id, config, services, runDirectory, folderMadeForIt, control, resumption,
                fineTune, platformStopping);
        this.completion = loop.completion();
        this.thread = new Thread(loop, "vesper-train-" + id);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Wakes the job when services come or go, so a waiting job resumes at once. */
    public void servicesChanged() {
        control.servicesChanged();
    }

    @Override
    public String id() {
        return id;
    }

    /** The job's own copy of its configuration (with a resume, the checkpoint's run settings). */
    @Override
    public TrainingConfig config() {
        synchronized (config) {   // the job's thread sets the warmup it uses while preparing
            return config.copy();
        }
    }

    @Override
    public JobStatus status() {
        return loop.status();
    }

    @Override
    public void pause() {
        requireAlive("pause");
        control.pause();
    }

    @Override
    public void resume() {
        requireAlive("resume");
        control.resume();
    }

    @Override
    public void stop() {
        control.stop();
        loop.interruptPreparation();
    }

    /** Stops the job, not at the user's request: its end says {@code reason}, if there is one. */
    public void stop(String reason) {
        control.stop(reason);
        loop.interruptPreparation();
    }

    @Override
    public void useOptimizer(String name) {
        useOptimizer(name, false);
    }

    @Override
    public void useOptimizer(String name, boolean freshState) {
        requireAlive("switch optimizer");
        if (name == null || services.optimizers().apply(name) == null) {
            throw new IllegalArgumentException("optimizer '" + name + "' is not installed");
        }
        control.switchOptimizer(name, freshState);
    }

    @Override
    public void useActivation(String name) {
        requireAlive("switch activation");
        if (name == null || services.activations().apply(name) == null) {
            throw new IllegalArgumentException("activation '" + name + "' is not installed");
        }
        control.switchActivation(name);
    }

    @Override
    public CompletableFuture<JobStatus> completion() {
        return completion;
    }

    /**
     * Runs {@code cleanUp} as the job ends, before {@link #completion()} completes: whoever waits for the end may
     * start the next job in the same folder at once, so the trainer's bookkeeping must be done by then.
     */
    public void beforeCompletion(Runnable cleanUp) {
        completion = loop.completion().whenComplete((end, error) -> {
            try {
                cleanUp.run();
            } catch (RuntimeException e) {
                // the job's end stands whatever its bookkeeping does
                TrainingLoop.LOG.log(System.Logger.Level.WARNING, "job " + id + ": after its end: " + e, e);
            }
        });
    }

    @Override
    public Path runDirectory() {
        return runDirectory;
    }

    @Override
    public Path lastCheckpoint() {
        return loop.lastCheckpoint();
    }

    @Override
    public Path renderChart() {
        try {
            return loop.chart().render();
        } catch (IOException e) {
            throw new UncheckedIOException("job " + id + ": cannot write the chart: " + e.getMessage(), e);
        } catch (LinkageError e) {
            // a headless JRE without its font libraries (libharfbuzz, fontconfig) cannot draw the axes' text
            throw new IllegalStateException("job " + id + ": this Java cannot draw the chart: " + e, e);
        }
    }

    /** The title its chart gets. */
    String chartTitle() {
        return loop.chart().title();
    }

    @Override
    public LanguageModel model() {
        return loop.model();
    }

    /** Once ended and a later job has ended: the model stays only while memory allows ({@link Equipment#loosenModel}). */
    void loosenModel() {
        loop.loosenModel();
    }

    /** The reference a loosened model is held by, or null: for a test to let it go. */
    java.lang.ref.SoftReference<LanguageModel> looseModelReference() {
        return loop.looseModelReference();
    }

    boolean ended() {
        return loop.state().ended();
    }

    @Override
    public Tokenizer tokenizer() {
        return loop.tokenizer();
    }

    /** This job's history for a comparison chart, labelled with its id and optimizer. */
    public LossChart.Run chartRun() {
        return loop.chart().run();
    }

    /** Waits for the job's thread to end, at most {@code millis}. */
    public boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void requireAlive(String what) {
        if (loop.state().ended()) {
            throw new IllegalStateException("cannot " + what + ": job " + id + " has ended (" + loop.state() + ")");
        }
    }

    @Override
    public String toString() {
        return "job " + id + " " + loop.state() + " " + runDirectory;
    }
}

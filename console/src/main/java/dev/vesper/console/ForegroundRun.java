package dev.vesper.console;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A training run watched to its end: progress while it trains, then a summary and a sample. */
final class ForegroundRun {
    static final String SAMPLE_PROMPT = "Once upon a time";
    private static final long STOP_WAIT_SECONDS = 30;

    private final BundleContext context;
    private final CommandSession session;
    private final TrainingJob job;
    private final LoadedModel loaded;
    /** {@link LoadedModel#factoriesGone} when the job started. */
    private final long factories;
    /** The command to go on with: bin/vesper's, or the shell's. */
    private final String trainCommand;

    ForegroundRun(BundleContext context, CommandSession session, TrainingJob job, LoadedModel loaded, long factories) {
        this.context = context;
        this.session = session;
        this.job = job;
        this.loaded = loaded;
        this.factories = factories;
        this.trainCommand = context.getProperty("vesper.command") == null ? "vesper:train"
                : launcher(context.getProperty(LAUNCHER_PROPERTY)) + " train";
    }

    /** How the user started this one-command run: the launcher bin/vesper passes, or bin/vesper. */
    static String launcher(String typed) {
        return typed == null || typed.isBlank() ? "bin/vesper" : typed;
    }

    /** The path the user typed to run bin/vesper (the repository's ./vesper passes its own). */
    static final String LAUNCHER_PROPERTY = "vesper.launcher.path";

    Report run() {
        PrintStream out = session.getConsole();
        // the status names the optimizer the job really uses: a resumed run keeps the one it had swapped to
        String optimizer = job.status().optimizer();
        out.println("job " + job.id() + ": " + job.config().model()
                + (job.config().modelOverrides().isEmpty() ? "" : " " + overrides(job.config().modelOverrides()))
                + (job.config().adapter() == null ? "" : " with a " + job.config().adapter() + " adapter") + " with "
                + optimizer(optimizer, job.config()) + " on " + job.config().data()
                + (job.config().resume() != null ? ", resumed from " + job.config().resume() : "")
                + ", run folder " + job.runDirectory());
        ProgressDisplay display = new ProgressDisplay(job, out, System.console() != null);
        ServiceRegistration<TrainingListener> reg = context.registerService(TrainingListener.class, display, null);
        JobStatus end;
        try {
            end = job.completion().get();
        } catch (InterruptedException e) {
            // Ctrl-C in the shell: Gogo prints only the interruption, so the command says where the job stopped
            display.finish();
            AbovePrompt.println(session, out, interrupted());
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("job " + job.id() + " failed: " + Errors.oneLine(e));
        } finally {
            display.finish();
            try {
                reg.unregister();
            } catch (IllegalStateException stopping) {
                // the console bundle is stopping (Ctrl-C): its registrations are already gone
            }
        }
        if (end.state() == JobState.FAILED) {
            throw new IllegalStateException("job " + job.id() + " failed: " + end.message());
        }
        if (end.state() == JobState.STOPPED && job.lastCheckpoint() != null) {
            out.println("to go on: " + trainCommand + " --resume " + job.lastCheckpoint() + " --steps " + end.totalSteps());
        }
        if (shuttingDown()) {
            // Ctrl-C or exit: the framework is stopping; no chart or sample, which would race it
            return new Report("", Map.of("job", job.id(), "state", end.state().toString(), "steps", end.step()));
        }
        return summary(out, end);
    }

    /** Stops the job and waits a little for its checkpoint, to say where it stopped and how to go on. */
    private String interrupted() {
        job.stop();
        boolean wasInterrupted = Thread.interrupted();
        try {
            JobStatus end = job.completion().get(STOP_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            if (end.state() == JobState.FAILED) {
                return "interrupted: job " + job.id() + " failed: " + end.message();
            }
            Path checkpoint = job.lastCheckpoint();
            // as a background job's stop does: what it learnt so far is there to sample from
            boolean usable = !shuttingDown() && handOver(end);
            return "interrupted: job " + job.id() + " stopped at step " + end.step() + (checkpoint == null ? ""
                    : "; to go on: " + trainCommand + " --resume " + checkpoint + " --steps " + end.totalSteps())
                    + (usable ? "; generate and chat now use its model" : end.step() == 0 ? "; " + NO_STEP : "");
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException notYet) {
            return "interrupted: job " + job.id() + " stops at its next step and writes a checkpoint (vesper:status)";
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The run's last validation loss. A run with evaluations off has none of its own: a figure it reports came
     * from the checkpoint it resumed from, and is said to be so.
     */
    private String validation(JobStatus end) {
        if (!Double.isFinite(end.validationLoss())) {
            return "no evaluation (" + whyNoEvaluation(end) + ")";
        }
        String figure = String.format(Locale.ROOT, "validation loss %.4f", end.validationLoss());
        return job.config().evalEvery() > 0 ? figure : figure + " (from before the resume; --eval-every 0)";
    }

    private String whyNoEvaluation(JobStatus end) {
        int every = job.config().evalEvery();
        return every <= 0 ? "--eval-every 0" : every > end.step() ? "it comes every " + every + " steps"
                : "the validation split is too small";
    }

    private boolean shuttingDown() {
        try {
            return context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING;
        } catch (IllegalStateException stale) {
            return true;   // this bundle's context is no longer valid: it is being stopped
        }
    }

    /** {@code velvet (beta2=0.95)}: the run's optimizer, with its options while it is the one they were given for. */
    static String optimizer(String inUse, TrainingConfig config) {
        String name = inUse != null ? inUse : config.optimizer();
        boolean configured = name.equals(config.optimizer()) && !config.optimizerOptions().isEmpty();
        return configured ? name + " " + overrides(config.optimizerOptions()) : name;
    }

    /** {@code (layers=2, d_model=64)}: a preset changed by --config is no longer the preset. */
    static String overrides(Map<String, Object> overrides) {
        StringBuilder sb = new StringBuilder("(");
        overrides.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append(')').toString();
    }

    /** The chart's path, or why there is none: a run that trained is not failed by its picture. */
    static String chart(TrainingJob job) {
        try {
            return job.renderChart().toString();
        } catch (RuntimeException e) {
            return "not rendered (" + Errors.oneLine(e) + ")";
        }
    }

    /**
     * Makes the job's model the loaded one; only its weights, made again by the factory running at their first
     * use, when a model factory went while it ran, as a model bundle update that stopped the job does.
     */
    private boolean handOver(JobStatus end) {
        LanguageModel model = job.model();   // null for a job that failed before it had one
        if (model == null || job.tokenizer() == null || end.step() == 0) {
            return false;
        }
        loaded.set(model, job.tokenizer(), "job " + job.id(), loaded.factoryWentSince(factories));
        return true;
    }

    /** Why a job stopped before its first step is not handed over: it would replace a trained model with an untrained one. */
    static final String NO_STEP = "it took no step, so generate and chat keep the model they had";

    private Report summary(PrintStream out, JobStatus end) {
        handOver(end);
        String chart = chart(job);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("job", job.id());
        figures.put("state", end.state().toString());
        figures.put("steps", end.step());
        figures.put("loss", end.loss());
        figures.put("validation_loss", end.validationLoss());
        figures.put("run", job.runDirectory().toString());
        figures.put("chart", chart);
        out.println(String.format(Locale.ROOT, "%s after %d steps: loss %.4f (perplexity %.2f), %s",
                end.state().toString().toLowerCase(Locale.ROOT), end.step(), end.loss(), end.perplexity(),
                validation(end)));
        out.println("checkpoints: " + job.runDirectory().resolve("checkpoints"));
        out.println("chart:       " + chart);
        out.println();
        figures.put("sample", sample(out, end));
        return new Report("", figures);
    }

    /**
     * A sample from the job's model, for a run that finished; a job stopped before its end may have been stopped
     * by a model bundle update, whose factory made the model (its end line says why it stopped).
     */
    private String sample(PrintStream out, JobStatus end) {
        if (end.state() != JobState.FINISHED) {
            out.println("no sample: the job stopped before its end; "
                    + (end.step() == 0 ? NO_STEP : "generate and chat use its model"));
            return "";
        }
        out.println("sample (temperature 0.8, top-k 40):");
        try {
            return GenerationStream.stream(job.model(), job.tokenizer(), SAMPLE_PROMPT,
                    SamplingOptions.defaults().withMaxTokens(120).withSeed(job.config().seed()), out);
        } catch (IllegalStateException serviceGone) {
            // a model bundle update just as the run finished: the text stops here, the run is done
            out.println(System.lineSeparator() + "no sample: " + Errors.oneLine(serviceGone));
            return "";
        }
    }
}

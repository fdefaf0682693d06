package dev.vesper.console;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Training and job control: train, status, jobs, pause, resume, stop, use. */
@Component(service = TrainingCommands.class, property = {"osgi.command.scope=vesper",
    "osgi.command.function=train", "osgi.command.function=status", "osgi.command.function=jobs",
    "osgi.command.function=pause", "osgi.command.function=resume", "osgi.command.function=stop",
    "osgi.command.function=use", "osgi.command.function=chart"})
public final class TrainingCommands {
    private static final long CONTROL_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private final BundleContext context;
    private final TrainingService training;
    private final LoadedModel loaded;

    /** How long use waits for the job's next step boundary to say whether it switched. */
    private static final long SWITCH_WAIT_MILLIS = 30_000;

    @Activate
    public TrainingCommands(BundleContext context, @Reference TrainingService training, @Reference LoadedModel loaded) {
        this.context = context;
        this.training = training;
        this.loaded = loaded;
    }

    /** {@code train}'s options default to a new {@link TrainingConfig}'s settings, the main job's. */
    static Map<String, String> optionDefaults(String function) {
        if (!function.equals("train")) {
            return Map.of();
        }
        TrainingConfig d = new TrainingConfig();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--model", d.model());
        m.put("--optimizer", d.optimizer());
        m.put("--activation", "the model's");
        m.put("--data", d.data());
        m.put("--field", d.dataField());
        m.put("--tokenizer", d.tokenizer());
        m.put("--steps", Long.toString(d.steps()));
        m.put("--batch", Integer.toString(d.batch()));
        m.put("--seq", Integer.toString(d.seq()));
        m.put("--accumulate", Integer.toString(d.accumulate()));
        m.put("--lr", Double.toString(d.learningRate()));
        m.put("--schedule", d.schedule());
        m.put("--warmup", d.warmup() + ", at most a third of the run");
        m.put("--eval-every", Integer.toString(d.evalEvery()));
        m.put("--checkpoint-every", Integer.toString(d.checkpointEvery()));
        m.put("--keep-checkpoints", Integer.toString(d.keepCheckpoints()));
        m.put("--out", "runs/<date>-<time>-<job>");
        m.put("--seed", Long.toString(d.seed()));
        return m;
    }

    @Descriptor("train a model: in the background in the shell (a progress bar below the prompt), "
            + "in the foreground from 'bin/vesper train'; with no options, VesperLM tiny with Velvet on the built-in stories")
    public Object train(CommandSession session,
            @Descriptor("preset (tiny, small, medium, large) or a checkpoint folder") @Parameter(names = "--model", absentValue = TrainOptions.UNSET) String model,
            @Descriptor("optimizer name (see vesper:optimizers)") @Parameter(names = "--optimizer", absentValue = TrainOptions.UNSET) String optimizer,
            @Descriptor("activation name (see vesper:activations)") @Parameter(names = "--activation", absentValue = TrainOptions.UNSET) String activation,
            @Descriptor("adapter: masked or flylora; with a checkpoint as --model it fine-tunes that model (on a new one, only the adapter trains)") @Parameter(names = "--adapter", absentValue = TrainOptions.UNSET) String adapter,
            @Descriptor("model configuration overrides, key=value[,key=value] with the spec's keys (e.g. layers=2,d_model=64,dropout=0.1)") @Parameter(names = "--config", absentValue = TrainOptions.UNSET) String overrides,
            @Descriptor("the optimizer's hyperparameters, key=value[,key=value] (e.g. beta2=0.95,weight_decay=0.01; each optimizer's README lists its own)") @Parameter(names = "--optimizer-options", absentValue = TrainOptions.UNSET) String optimizerOptions,
            @Descriptor("dataset: builtin:stories, a file or folder, hf://datasets/owner/name/path") @Parameter(names = "--data", absentValue = TrainOptions.UNSET) String data,
            @Descriptor("JSON field holding the text, in JSONL and JSON data") @Parameter(names = "--field", absentValue = TrainOptions.UNSET) String field,
            @Descriptor("count and skip malformed records instead of failing") @Parameter(names = "--skip-bad-lines", presentValue = "true", absentValue = "false") boolean skipBad,
            @Descriptor("tokenizer: bpe:<vocab>, byte, or a tokenizer.json path") @Parameter(names = "--tokenizer", absentValue = TrainOptions.UNSET) String tokenizer,
            @Descriptor("optimizer steps") @Parameter(names = "--steps", absentValue = TrainOptions.UNSET) String steps,
            @Descriptor("epochs (instead of --steps)") @Parameter(names = "--epochs", absentValue = TrainOptions.UNSET) String epochs,
            @Descriptor("sequences per micro-batch") @Parameter(names = "--batch", absentValue = TrainOptions.UNSET) String batch,
            @Descriptor("tokens per sequence") @Parameter(names = "--seq", absentValue = TrainOptions.UNSET) String seq,
            @Descriptor("micro-batches per optimizer step") @Parameter(names = "--accumulate", absentValue = TrainOptions.UNSET) String accumulate,
            @Descriptor("peak learning rate") @Parameter(names = "--lr", absentValue = TrainOptions.UNSET) String lr,
            @Descriptor("learning-rate schedule: constant or cosine") @Parameter(names = "--schedule", absentValue = TrainOptions.UNSET) String schedule,
            @Descriptor("warmup steps") @Parameter(names = "--warmup", absentValue = TrainOptions.UNSET) String warmup,
            @Descriptor("steps between evaluations (0: none)") @Parameter(names = "--eval-every", absentValue = TrainOptions.UNSET) String evalEvery,
            @Descriptor("steps between checkpoints (0: only at the end)") @Parameter(names = "--checkpoint-every", absentValue = TrainOptions.UNSET) String checkpointEvery,
            @Descriptor("checkpoints of the run to keep, the newest") @Parameter(names = "--keep-checkpoints", absentValue = TrainOptions.UNSET) String keepCheckpoints,
            @Descriptor("run folder") @Parameter(names = "--out", absentValue = TrainOptions.UNSET) String out,
            @Descriptor("checkpoint folder to resume from") @Parameter(names = "--resume", absentValue = TrainOptions.UNSET) String resume,
            @Descriptor("random seed") @Parameter(names = "--seed", absentValue = TrainOptions.UNSET) String seed,
            @Descriptor("wait for the end, printing progress") @Parameter(names = "--wait", presentValue = "true", absentValue = "false") boolean wait,
            @Descriptor("in the shell, return at once while the job runs (a one-command run ends with its job)") @Parameter(names = "--background", presentValue = "true", absentValue = "false") boolean background,
            @Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("train", words);
            TrainOptions o = new TrainOptions(true);
            if (o.has("--steps", steps) && o.has("--epochs", epochs)) {
                throw new IllegalArgumentException("--steps and --epochs: give one; a run ends after --steps optimizer steps"
                        + " or after --epochs passes over the data");
            }
            TrainingConfig c = o.config();
            o.text("--model", model, c::model).text("--optimizer", optimizer, c::optimizer)
                    .text("--activation", activation, c::activation).text("--adapter", adapter, c::adapter)
                    .text("--data", data, v -> c.data(TrainOptions.location(v))).text("--field", field, c::dataField)
                    .text("--tokenizer", tokenizer, c::tokenizer).text("--schedule", schedule, c::schedule)
                    .integer("--steps", steps, v -> c.steps(v)).positive("--epochs", epochs, c::epochs)
                    .integer("--batch", batch, c::batch).integer("--seq", seq, c::seq)
                    .integer("--accumulate", accumulate, c::accumulate).number("--lr", lr, c::learningRate)
                    .integer("--warmup", warmup, c::warmup).integer("--eval-every", evalEvery, c::evalEvery)
                    .integer("--checkpoint-every", checkpointEvery, c::checkpointEvery)
                    .positive("--keep-checkpoints", keepCheckpoints, c::keepCheckpoints)
                    .path("--out", out, c::out).path("--resume", resume, c::resume).integer("--seed", seed, v -> c.seed(v))
                    .overrides(overrides, c::modelOverride).pairs("--optimizer-options", optimizerOptions, c::optimizerOption);
            c.skipBadLines(skipBad);
            if (background && oneCommand()) {
                // the process, and the job with it, ends with the command
                throw new IllegalArgumentException("--background: a job started by one command ends with it; start it"
                        + " in the shell (" + ForegroundRun.launcher(context.getProperty(ForegroundRun.LAUNCHER_PROPERTY))
                        + ", then train --background ...), or leave --background out to wait for it");
            }
            long factories = loaded.factoriesGone();
            TrainingJob job = start(c);
            boolean foreground = !background && (wait || oneCommand());
            if (foreground) {
                return new ForegroundRun(context, session, job, loaded, factories).run();
            }
            long before = loaded.loads();
            BackgroundProgress.watch(context, session, job, end -> handOver(job, end, before, factories));
            return "job " + job.id() + " started in the background (vesper:status, vesper:pause, vesper:stop); run folder "
                    + job.runDirectory();
        });
    }

    /** Whether this is bin/vesper running one command line, whose process ends with it. */
    private boolean oneCommand() {
        return context.getProperty("vesper.command") != null;
    }

    /** The trainer says "not installed" of a registered service it cannot use: say why it cannot. */
    private TrainingJob start(TrainingConfig c) {
        try {
            return training.start(c);
        } catch (IllegalArgumentException e) {
            String explained = ServiceCatalog.explainNotInstalled(context, e.getMessage());
            if (explained.equals(e.getMessage())) {
                throw e;
            }
            throw new IllegalArgumentException(explained, e);
        }
    }

    /** What a background job's end does to the loaded model, said after its summary. */
    String handOver(TrainingJob job, JobStatus end, long before, long factories) {
        if (end.state() == JobState.FAILED || context.getBundle(0).getState() == Bundle.STOPPING) {
            return "";   // leaving the shell: nothing will generate with it
        }
        if (end.step() == 0) {
            return "; " + ForegroundRun.NO_STEP;
        }
        LanguageModel model = job.model();
        if (model == null) {
            // a later job ended first and memory ran short (TrainingJob.model)
            return job.lastCheckpoint() == null ? "" : "; its model is in " + job.lastCheckpoint() + " (vesper:load)";
        }
        if (loaded.replace(before, model, job.tokenizer(), "job " + job.id(), loaded.factoryWentSince(factories))) {
            return "; generate and chat now use its model";
        }
        String meanwhile = loaded.source().orElse("another model");
        return "; " + meanwhile + ", loaded meanwhile, stays loaded";
    }

    @Descriptor("show a job's status (the latest job by default)")
    public JobStatus status(@Descriptor("job id") @Parameter(names = "--job", absentValue = "") String option,
                            @Descriptor("job id, as vesper:jobs lists it (or --job)") String... positional) {
        return Errors.shown(() -> job(jobId(option, positional)).status());
    }

    @Descriptor("list the jobs of this session")
    public Object jobs(@Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("jobs", words);
            List<JobStatus> out = new ArrayList<>();
            for (TrainingJob j : training.jobs()) {
                out.add(j.status());
            }
            return out.isEmpty() ? "no training jobs yet (vesper:train starts one)" : out;
        });
    }

    @Descriptor("draw a job's loss and perplexity against step now (chart.png in its run folder), while it runs or after")
    public String chart(@Descriptor("job id") @Parameter(names = "--job", absentValue = "") String option,
                        @Descriptor("job id, as vesper:jobs lists it (or --job)") String... positional) {
        return Errors.shown(() -> {
            TrainingJob j = job(jobId(option, positional));
            long step = j.status().step();
            if (step == 0) {
                throw new IllegalArgumentException("job " + j.id() + " has no step to draw yet");
            }
            return "job " + j.id() + " at step " + step + ": " + j.renderChart();
        });
    }

    @Descriptor("pause a job at the next step boundary, and wait for it")
    public JobStatus pause(@Descriptor("job id") @Parameter(names = "--job", absentValue = "") String option,
                            @Descriptor("job id, as vesper:jobs lists it (or --job)") String... positional) {
        return Errors.shown(() -> {
            TrainingJob j = job(jobId(option, positional));
            j.pause();
            return await(j, s -> s.state() != JobState.RUNNING && s.state() != JobState.PREPARING);
        });
    }

    @Descriptor("resume a paused job")
    public JobStatus resume(@Descriptor("job id") @Parameter(names = "--job", absentValue = "") String option,
                            @Descriptor("job id, as vesper:jobs lists it (or --job)") String... positional) {
        return Errors.shown(() -> {
            TrainingJob j = job(jobId(option, positional));
            JobStatus now = j.status();
            if (now.state() != JobState.PAUSED && !now.state().ended()) {
                // a resume that changes nothing should not look like one that did
                throw new IllegalArgumentException("resume: job " + j.id() + " is not paused (" + now.state()
                        + (now.message() == null ? "" : ": " + now.message()) + ")");
            }
            j.resume();
            return await(j, s -> s.state() != JobState.PAUSED);
        });
    }

    @Descriptor("stop a job after its current step, writing a final checkpoint, and wait for it")
    public JobStatus stop(@Descriptor("job id") @Parameter(names = "--job", absentValue = "") String option,
                            @Descriptor("job id, as vesper:jobs lists it (or --job)") String... positional) {
        return Errors.shown(() -> {
            TrainingJob j = job(jobId(option, positional));
            JobStatus now = j.status();
            if (now.state().ended()) {
                throw new IllegalArgumentException("cannot stop: job " + j.id() + " has ended (" + now.state() + ")");
            }
            j.stop();
            return await(j, s -> s.state().ended());
        });
    }

    /** {@code stop 3} and {@code stop --job 3} name the same job; neither means the latest. */
    static String jobId(String option, String[] positional) {
        if (positional.length > 1 || (positional.length == 1 && !option.isBlank())) {
            throw new IllegalArgumentException("name one job: a job id, or --job <id>");
        }
        return positional.length == 1 ? positional[0].trim() : option;
    }

    private void requireUsable(String serviceKind, String what, String name) {
        List<ServiceEntry> entries = ServiceCatalog.ofKind(context, serviceKind);
        List<String> usable = ServiceCatalog.usableNames(entries);
        if (!usable.contains(name)) {
            String why = ServiceCatalog.whyUnusable(entries, name);
            throw new IllegalArgumentException(what + " '" + name + "' is "
                    + (why == null ? "not installed" : "registered but " + why) + "; installed: " + usable);
        }
    }

    /** Control takes effect at a step boundary: wait a while for it, then show where the job is. */
    private static JobStatus await(TrainingJob job, java.util.function.Predicate<JobStatus> reached)
            throws InterruptedException {
        long deadline = System.nanoTime() + CONTROL_WAIT_NANOS;
        JobStatus s = job.status();
        while (!reached.test(s) && !s.state().ended() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = job.status();
        }
        return s;
    }

    @Descriptor("switch a running job's optimizer or activation at the next step boundary")
    public String use(CommandSession session,
                      @Descriptor("job id") @Parameter(names = "--job", absentValue = "") String id,
                      @Descriptor("start the new optimizer with fresh state when it cannot take the old one's moments")
                      @Parameter(names = "--fresh", presentValue = "true", absentValue = "false") boolean fresh,
                      @Descriptor("optimizer <name> or activation <name>") String... words) {
        return Errors.shown(() -> {
            String[] what = Words.exactly("use", "'optimizer <name>' or 'activation <name>'", 2, words);
            String kind = what[0];
            String name = what[1];
            // what is asked for is checked before which job: a wrong command line is said first
            switch (kind) {
                case "optimizer" -> requireUsable("OptimizerFactory", "optimizer", name);
                case "activation" -> requireUsable("Activation", "activation", name);
                default -> throw new IllegalArgumentException("use: expected 'optimizer' or 'activation', got '" + kind + "'");
            }
            TrainingJob j = job(id);
            Runnable request = kind.equals("optimizer") ? () -> j.useOptimizer(name, fresh) : () -> j.useActivation(name);
            return SwitchOutcome.request(context, j, kind, name, request, SWITCH_WAIT_MILLIS, answer -> {
                try {
                    AbovePrompt.println(session, session.getConsole(), answer);
                } catch (RuntimeException sessionClosed) {
                    // the shell has gone: the answer is in the job's status and its metrics
                }
            });
        });
    }

    private TrainingJob job(String id) {
        if (id.isBlank()) {
            return training.latest().orElseThrow(() -> new IllegalArgumentException("no training job yet: start one with vesper:train"));
        }
        return training.job(id).orElseThrow(() -> new IllegalArgumentException("no job '" + id + "' (see vesper:jobs)"));
    }
}

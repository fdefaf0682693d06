package dev.vesper.trainer;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.data.DataService;
import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import dev.vesper.api.train.TrainingService;
import dev.vesper.files.FileErrors;
import dev.vesper.files.FreshFolders;
import dev.vesper.trainer.internal.CheckpointRotation;
import dev.vesper.trainer.internal.Collaborators;
import dev.vesper.trainer.internal.Configs;
import dev.vesper.trainer.internal.DeactivationReason;
import dev.vesper.trainer.internal.FineTuneSource;
import dev.vesper.trainer.internal.Job;
import dev.vesper.trainer.internal.JobRegistry;
import dev.vesper.trainer.internal.NamedServices;
import dev.vesper.trainer.internal.OptimizerOptions;
import dev.vesper.trainer.internal.Resumption;
import dev.vesper.trainer.internal.LossChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The training service. In OSGi, optimizer factories, activations and listeners are tracked
 * dynamically: a job looks its optimizer and activation up by name at every step boundary, so a
 * bundle that goes away makes the job wait and one that arrives is used without a restart.
 * Outside OSGi (tests, benchmarks), the public constructor takes the same collaborators directly.
 */
@Component(service = TrainingService.class)
public final class TrainerService implements TrainingService {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long STOP_WAIT_MS = 60_000;
    private static final int PROVISIONAL_VOCAB = 512;

    private final Collaborators services;
    private final NamedServices<OptimizerFactory> optimizerRegistry;
    private final NamedServices<Activation> activationRegistry;
    private final List<TrainingListener> listenerRegistry;
    private final JobRegistry registry;
    /** The registry's list: the jobs of this launch, also those of the trainer before a restart. */
    private final List<Job> jobs;
    /** The registry's run folders of the jobs that have not ended, the trainer's before a restart too. */
    private final java.util.Set<Path> liveFolders;

    /** Plain-Java construction: the lookups return null for a name that is not installed. */
    public TrainerService(Autograd autograd, ModelFactory models, TokenizerFactory tokenizers, DataService data,
                          CheckpointStore checkpoints, Function<String, OptimizerFactory> optimizers,
                          Function<String, Activation> activations, Iterable<TrainingListener> listeners) {
        this.services = new Collaborators(autograd, models, tokenizers, data, checkpoints, optimizers, activations,
                listeners);
        this.registry = new JobRegistry();
        this.jobs = registry.jobs();
        this.liveFolders = registry.liveFolders();
        this.optimizerRegistry = null;
        this.activationRegistry = null;
        this.listenerRegistry = null;
    }

    @Activate
    public TrainerService(@Reference JobRegistry registry, @Reference Autograd autograd, @Reference ModelFactory models,
                          @Reference TokenizerFactory tokenizers, @Reference DataService data,
                          @Reference CheckpointStore checkpoints) {
        this.registry = registry;
        this.jobs = registry.jobs();
        this.liveFolders = registry.liveFolders();
        this.optimizerRegistry = new NamedServices<>(OptimizerFactory.PROPERTY, OptimizerFactory::name);
        this.activationRegistry = new NamedServices<>(Activation.PROPERTY, Activation::name);
        this.listenerRegistry = new CopyOnWriteArrayList<>();
        this.services = new Collaborators(autograd, models, tokenizers, data, checkpoints, optimizerRegistry,
                activationRegistry, listenerRegistry);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeOptimizer")
    void addOptimizer(OptimizerFactory factory, Map<String, Object> properties) {
        optimizerRegistry.add(factory, properties);
        servicesChanged();
    }

    void removeOptimizer(OptimizerFactory factory) {
        optimizerRegistry.remove(factory);
        servicesChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeActivation")
    void addActivation(Activation activation, Map<String, Object> properties) {
        activationRegistry.add(activation, properties);
        servicesChanged();
    }

    void removeActivation(Activation activation) {
        activationRegistry.remove(activation);
        servicesChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(TrainingListener listener) {
        listenerRegistry.add(listener);
    }

    void removeListener(TrainingListener listener) {
        listenerRegistry.remove(listener);
    }

    /** Stops every running job (each writes its final checkpoint) before the service goes away. */
    @Deactivate
    public void close(BundleContext context, int reason) throws InterruptedException {
        String why = DeactivationReason.describe(context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING, reason);
        for (Job j : jobs) {
            j.stop(why);
        }
        long deadline = System.currentTimeMillis() + STOP_WAIT_MS;
        for (Job j : jobs) {
            j.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    /** A resume into a folder that holds later checkpoints would fail at the first of them, after the work. */
    /** A resumed run may go on in a folder it wrote before, but not in a file, nor under one. */
    private static void requireFolder(Path out) {
        String advice = "name a folder";
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out: " + out + " is a file; " + advice);
        }
        Configs.requireMakeable("--out", out, advice);
    }

    private static void requireNoLaterCheckpoint(Path out, long step) {
        Path later;
        try {
            later = CheckpointRotation.firstPast(out, step);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--out: cannot read " + out + ": " + e.getMessage(), e);
        }
        if (later != null) {
            throw new IllegalArgumentException("--out: " + out.toAbsolutePath() + " holds a checkpoint past step " + step
                    + " (" + later.getFileName() + "), which this run would not overwrite; name another folder");
        }
    }

    @Override
    public synchronized TrainingJob start(TrainingConfig config) {
        return start(config, () -> String.valueOf(registry.nextNumber()));
    }

    /**
     * Starts a job that is not one of the user's runs, such as the benchmark's untimed warm-up: its id is
     * {@code name-N}, so the user's jobs keep their numbers 1, 2, 3 …
     */
    synchronized TrainingJob startUnnumbered(TrainingConfig config, String name) {
        return start(config, () -> registry.nextUnnumbered(name));
    }

    private TrainingJob start(TrainingConfig config, java.util.function.Supplier<String> ids) {
        TrainingConfig c = config.copy();
        Configs.validate(c);
        if (c.out() != null && liveFolders.contains(c.out().toAbsolutePath())) {
            throw new IllegalArgumentException("--out: " + c.out().toAbsolutePath() + " is the folder of a job that has"
                    + " not ended; name another");
        }
        Resumption resumption = c.resume() != null ? Resumption.load(services, c) : null;
        if (resumption != null && c.out() != null) {
            requireFolder(c.out());
            requireNoLaterCheckpoint(c.out(), resumption.state().step());
        }
        FineTuneSource fineTune = null;
        if (resumption == null) {
            if (c.out() != null) {
                Configs.requireNewFolder("--out", c.out(),
                        "name a new folder (a run goes on from one of its checkpoints with --resume <checkpoint>)");
            }
            checkNewRun(c);
            fineTune = Configs.isCheckpoint(c.model()) ? FineTuneSource.open(services, c) : null;
        }
        String id = ids.get();
        Path runDirectory = c.out() != null ? c.out().toAbsolutePath() : freshRunDirectory(id);
        // a claimed folder exists already, yet is the run's own as much as an --out folder the run makes
        boolean folderMadeForIt = c.out() == null || !Files.isDirectory(runDirectory);
        Job job = new Job(id, c, services, runDirectory, folderMadeForIt, resumption, fineTune,
                TrainerService::frameworkStopping);
        // the job makes its folder on its own thread: until it ends, no other start may pick the same one
        liveFolders.add(runDirectory);
        job.beforeCompletion(() -> {
            liveFolders.remove(runDirectory);
            registry.ended(job);
        });
        jobs.add(job);
        job.start();
        return job;
    }

    /**
     * {@code runs/<timestamp>-<id>} under the working directory, made here: another Vesper started in the
     * same second numbers its first job 1 too.
     */
    private static Path freshRunDirectory(String id) {
        Path base = Path.of("runs", LocalDateTime.now().format(STAMP) + "-" + id).toAbsolutePath();
        try {
            return FreshFolders.claim(base);
        } catch (IOException e) {
            throw new UncheckedIOException(base.getParent() + ": cannot make the run's folder (" + FileErrors.reason(e)
                    + "); name one with --out", e);
        }
    }

    private void checkNewRun(TrainingConfig c) {
        OptimizerFactory optimizerFactory = services.optimizers().apply(c.optimizer());
        if (optimizerFactory == null) {
            throw new IllegalArgumentException("--optimizer: '" + c.optimizer() + "' is not installed"
                    + (optimizerRegistry != null ? "; installed: " + optimizerRegistry.names() : ""));
        }
        checkOptimizerOptions(optimizerFactory, c);
        if (c.activation() != null && services.activations().apply(c.activation()) == null) {
            throw new IllegalArgumentException("--activation: '" + c.activation() + "' is not installed"
                    + (activationRegistry != null ? "; installed: " + activationRegistry.names() : ""));
        }
        if (!Configs.isCheckpoint(c.model())) {
            if (!ModelConfig.PRESETS.contains(c.model())) {
                throw new IllegalArgumentException("--model: unknown model '" + c.model() + "': expected one of "
                        + ModelConfig.PRESETS + " or a checkpoint directory");
            }
            // the vocabulary comes from the tokenizer later; everything else can be checked now
            ModelConfig mc = ModelConfig.preset(c.model(), PROVISIONAL_VOCAB);
            try {
                mc = mc.withAll(c.modelOverrides());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--config: " + e.getMessage(), e);
            }
            try {
                if (c.adapter() != null) {
                    mc = mc.with("adapter", c.adapter());
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--adapter: " + e.getMessage(), e);
            }
            if (c.activation() == null && services.activations().apply(mc.activation()) == null) {
                throw new IllegalArgumentException("model '" + c.model() + "': its activation '" + mc.activation()
                        + "' is not installed" + (activationRegistry != null ? "; installed: " + activationRegistry.names() : "")
                        + " (choose one with --activation)");
            }
            int context = mc.context();
            if (c.seq() > context) {
                throw new IllegalArgumentException("--seq: " + c.seq() + " exceeds the context " + context
                        + " of model '" + c.model() + "'");
            }
        }
    }

    /**
     * A typo in an option would otherwise surface only on the job's thread, where a factory that cannot make its
     * optimizer is waited for as a broken plug-in is: asking the factory for an optimizer over no parameters
     * checks the options now. Anything but a refused option is the plug-in's fault, which the job reports.
     */
    private static void checkOptimizerOptions(OptimizerFactory factory, TrainingConfig c) {
        try {
            factory.create(List.of(), OptimizerOptions.forName(c, c.optimizer()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--optimizer-options: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError brokenPlugin) {
            // reported by the job, naming the plug-in's bundle
        }
    }

    /** Whether the framework this bundle runs in is stopping; never outside one. */
    private static boolean frameworkStopping() {
        Bundle own = org.osgi.framework.FrameworkUtil.getBundle(TrainerService.class);
        BundleContext context = own == null ? null : own.getBundleContext();
        try {
            return context != null && context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
        } catch (IllegalStateException stopped) {
            return true;   // this bundle's context is no longer valid: it is being stopped
        }
    }

    /** Drops an ended job from {@link #jobs()}: the benchmark's untimed warm-up is not the user's run. */
    void forget(TrainingJob job) {
        if (job.status().state().ended()) {
            jobs.remove(job);
        }
    }

    @Override
    public List<TrainingJob> jobs() {
        return List.copyOf(jobs);
    }

    @Override
    public Optional<TrainingJob> job(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).map(j -> (TrainingJob) j).findFirst();
    }

    @Override
    public Optional<TrainingJob> latest() {
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(jobs.size() - 1));
    }

    /**
     * Several of this service's jobs on one PNG: smoothed training loss, and validation loss below.
     *
     * @throws IllegalArgumentException when a job is not one of this service's
     */
    public Path renderComparison(List<TrainingJob> toCompare, Path target) {
        if (toCompare == null || toCompare.isEmpty()) {
            throw new IllegalArgumentException("no jobs to compare");
        }
        List<LossChart.Run> runs = new ArrayList<>();
        for (TrainingJob j : toCompare) {
            if (!(j instanceof Job job) || !jobs.contains(job)) {
                throw new IllegalArgumentException("job " + (j == null ? null : j.id()) + " is not one of this service's");
            }
            runs.add(job.chartRun());
        }
        try {
            return LossChart.renderComparison(target.toAbsolutePath(), "comparison", runs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the comparison chart " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wakes waiting jobs to look their services up again. DS calls it on every bind and unbind;
     * outside OSGi, call it after changing what the lookups return. For a while after a change, a step
     * that fails is retried rather than fatal, since other components (the model factory) may see the
     * change a moment later.
     */
    public void servicesChanged() {
        for (Job j : jobs) {
            j.servicesChanged();
        }
    }
}

package dev.vesper.trainer.internal;

import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.train.TrainingConfig;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model and optimizer a job trains with, and the services they come from, which may come, go
 * and be switched while the job runs. Used only by the job's thread, at step boundaries; the names
 * are readable from any thread for the status.
 *
 * <p>Optimizers are found by name at every boundary: when the service is gone the optimizer is
 * dropped (its state kept) and the job waits; when a different service instance answers to the name
 * (a new bundle), a new optimizer is made from it and takes the state over.
 */
final class Equipment {
    /** Where switches, refusals and waits are told. */
    interface Reporter {
        /**
         * Something happened worth a line in the metrics file and the status message. Each switch request
         * ends in one report: {@code switch}, {@code refused} or {@code unchanged} (the name already in use).
         */
        void report(String kind, String text);
    }

    private final TrainingConfig config;
    private final Collaborators services;
    private final Reporter reporter;

    private volatile LanguageModel model;
    /** The model of an ended job that a later job's end demoted: the collector may take it when memory runs short. */
    private volatile SoftReference<LanguageModel> looseModel;
    private Optimizer optimizer;
    private OptimizerFactory optimizerFactory;
    /** State of an optimizer dropped while its service is away, to carry into its replacement. */
    private OptimizerState carriedState;
    /** A factory that failed to make an optimizer, and why: not asked again until another service takes the name. */
    private OptimizerFactory brokenFactory;
    private String brokenWhy;
    private String lastCreateFailure;
    private volatile String optimizerName;
    private volatile String activationName;
    /** The optimizers this job has run with, as "name" then "name after step N" for each switch; read by any thread. */
    private final List<String> optimizersUsed = new CopyOnWriteArrayList<>();

    Equipment(TrainingConfig config, Collaborators services, Reporter reporter, String optimizerName) {
        this.config = config;
        this.services = services;
        this.reporter = reporter;
        this.optimizerName = optimizerName;
        this.activationName = config.activation();
        this.optimizersUsed.add(optimizerName);
    }

    /** Starts with a model; the optimizer is made now if its service is there, else at the first boundary. */
    void start(LanguageModel m) {
        model = m;
        activationName = m.config().activation();
        OptimizerFactory f = services.optimizers().apply(optimizerName);
        if (f != null) {
            rebuildOptimizer(f);
        }
    }

    /** Starts from a resumed checkpoint's model and optimizer. */
    void start(LanguageModel m, Optimizer o, OptimizerFactory f) {
        model = m;
        activationName = m.config().activation();
        optimizer = o;
        optimizerFactory = f;
    }

    /** The model; null before it is built, and once {@link #loosenModel loosened} and taken by the collector. */
    LanguageModel model() {
        LanguageModel m = model;
        if (m != null) {
            return m;
        }
        SoftReference<LanguageModel> loose = looseModel;
        return loose == null ? null : loose.get();
    }

    /**
     * The job has ended and a later one too: its model stays for as long as memory allows, no longer. A shell
     * session of several large runs would otherwise hold every one of their models (1.2 GB each for large) and
     * run out of heap; the checkpoints hold them all.
     */
    void loosenModel() {
        LanguageModel m = model;
        if (m != null) {
            looseModel = new SoftReference<>(m);   // before the strong one goes: a reader always finds one
            model = null;
        }
    }

    /** The reference a loosened model is held by, or null: for a test to let it go. */
    SoftReference<LanguageModel> looseModelReference() {
        return looseModel;
    }

    /** The job has ended: its optimizer and any state kept for one go, the model stays. */
    void releaseOptimizer() {
        optimizer = null;
        carriedState = null;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    String optimizerName() {
        return optimizerName;
    }

    /** The optimizers in the order the job ran with them, such as "adamw, velvet after step 150". */
    String optimizersUsed() {
        return String.join(", ", optimizersUsed);
    }

    String activationName() {
        return activationName;
    }

    /**
     * The optimizer's state now, or the state kept while its service is away; null when there is none.
     *
     * @throws PluginFailure when the optimizer fails to export it, naming the optimizer and its bundle
     */
    OptimizerState optimizerState() {
        if (optimizer == null) {
            return carriedState;
        }
        try {
            return optimizer.exportState();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginFailure(describe(optimizerName, optimizer) + " failed to export its state ("
                    + PluginFault.reason(e) + ")", e);
        }
    }

    /** The state to carry into another optimizer: none, with a report saying why, when the current one cannot export it. */
    private OptimizerState stateToCarry() {
        try {
            return optimizerState();
        } catch (PluginFailure e) {
            reporter.report("optimizer", e.getMessage() + ": the next optimizer starts with fresh moments");
            return null;
        }
    }

    static final String WAITING_HINT = "waiting for a bundle that provides it (start its bundle, or copy its jar into"
            + " deploy/, removing it first if it is still there; vesper:stop ends the run with a checkpoint)";

    /** What a job waiting with {@code waiting} (an {@link #ensureServices} reason) says once it goes on. */
    static String resumed(String waiting) {
        boolean named = waiting.startsWith("optimizer '") || waiting.startsWith("activation '");
        int close = named ? waiting.indexOf('\'', waiting.indexOf('\'') + 1) : -1;
        return close < 0 ? "the services it needs are available again"
                : waiting.substring(0, close + 1) + " is available again";
    }

    /** {@code optimizer 'lion' (bundle com.acme.lion)}. */
    static String describe(String name, Object plugin) {
        String bundle = PluginFault.bundleOf(plugin);
        return "optimizer '" + name + "'" + (bundle == null ? "" : " (bundle " + bundle + ")");
    }

    /** The reason the job cannot step now, or null when its optimizer and activation are there. */
    String ensureServices() {
        OptimizerFactory f = services.optimizers().apply(optimizerName);
        if (f == null) {
            dropOptimizer();
            return "optimizer '" + optimizerName + "' is not available: " + WAITING_HINT;
        }
        if (f != optimizerFactory || optimizer == null) {
            String broken = rebuildOptimizer(f);
            if (broken != null && optimizer == null) {
                return broken + ": " + WAITING_HINT;
            }
        }
        if (services.activations().apply(activationName) == null) {
            return "activation '" + activationName + "' is not available: " + WAITING_HINT;
        }
        return null;
    }

    /** The name of a service the job needs and cannot find now, or null. */
    String missingService() {
        if (services.optimizers().apply(optimizerName) == null) {
            return optimizerName;
        }
        return services.activations().apply(activationName) == null ? activationName : null;
    }

    private void dropOptimizer() {
        if (optimizer == null) {
            return;
        }
        try {
            carriedState = optimizer.exportState();
        } catch (RuntimeException | LinkageError e) {
            TrainingLoop.LOG.log(System.Logger.Level.WARNING, "could not keep the state of optimizer '"
                    + optimizerName + "' as it went away; its replacement starts fresh", e);
            carriedState = null;
        }
        optimizer = null;
        optimizerFactory = null;
    }

    /**
     * A new optimizer from {@code f} (first use, or its service was replaced), carrying the moments. Returns
     * null, or why {@code f} could not make one: a broken factory is not asked again until another service
     * answers to the name.
     */
    private String rebuildOptimizer(OptimizerFactory f) {
        if (f == brokenFactory) {
            return brokenWhy;
        }
        Optimizer o = create(f, optimizerName);
        if (o == null) {
            brokenFactory = f;
            brokenWhy = lastCreateFailure;
            if (optimizer != null) {
                // a broken service ranked above the working one: the run goes on with the optimizer it has
                reporter.report("optimizer", brokenWhy + ": the run goes on with the optimizer it has");
            }
            return brokenWhy;
        }
        boolean replaced = optimizerFactory != null && optimizer != null;
        OptimizerState carry = stateToCarry();
        String how = carry == null ? "fresh moments" : importInto(o, carry);
        if (replaced) {
            // a bundle ranked above the one in use took the name over: say so, or the switch goes unseen
            reporter.report("optimizer", describe(optimizerName, f) + " now answers to the name, with " + how);
        } else if (carry != null && !how.equals(CARRIED)) {
            reporter.report("optimizer", "optimizer '" + optimizerName + "' starts with " + how);
        }
        optimizer = o;
        optimizerFactory = f;
        carriedState = null;
        return null;
    }

    private static final String CARRIED = "the moments carried over";

    /** {@code o} takes {@code carry}; says whether it did, or why not. */
    private String importInto(Optimizer o, OptimizerState carry) {
        try {
            o.importState(carry);
            return CARRIED;
        } catch (IncompatibleStateException e) {
            return "fresh moments: it could not take the previous state (" + e.getMessage() + ")";
        } catch (RuntimeException | LinkageError e) {
            return "fresh moments: it failed to take the previous state (" + PluginFault.reason(e) + ")";
        }
    }

    /**
     * An optimizer from {@code f}, or null with {@link #lastCreateFailure} saying why.
     *
     * @throws IllegalArgumentException when {@code f} refuses the run's options: the run's fault, not the plug-in's
     */
    private Optimizer create(OptimizerFactory f, String name) {
        try {
            Optimizer o = f.create(model.trainableParameters(), OptimizerOptions.forName(config, name));
            if (o != null) {
                return o;
            }
            lastCreateFailure = describe(name, f) + " made no optimizer (its factory returned null)";
        } catch (IllegalArgumentException refused) {
            throw refused;
        } catch (RuntimeException | LinkageError e) {
            lastCreateFailure = describe(name, f) + " could not make an optimizer (" + PluginFault.reason(e) + ")";
            TrainingLoop.LOG.log(System.Logger.Level.DEBUG, "where " + lastCreateFailure + ", for its author", e);
        }
        return null;
    }

    /**
     * A model's activation is part of its configuration, so a new model is built with the new
     * activation and the current weights; the optimizer is then rebuilt over its parameters with the
     * moments carried (same optimizer, so always compatible).
     */
    void switchActivation(String name, long step) {
        if (name.equals(activationName)) {
            reporter.report("unchanged", "activation '" + name + "' is already in use at step " + step + ": nothing to switch");
            return;
        }
        if (services.activations().apply(name) == null) {
            reporter.report("refused", "activation '" + name + "' is not installed at step " + step + "; still using '"
                    + activationName + "'");
            return;
        }
        LanguageModel old = model;
        LanguageModel fresh;
        try {
            fresh = services.models().create(old.config().with("activation", name), config.seed());
            fresh.loadWeights(old.weights(false), false, false, "activation switch");
            if (old.config().hasAdapter()) {
                fresh.loadWeights(old.weights(true), true, false, "activation switch");
            }
        } catch (RuntimeException e) {
            reporter.report("refused", "cannot switch to activation '" + name + "' at step " + step + ": " + e.getMessage()
                    + "; still using '" + activationName + "'");
            return;
        }
        dropOptimizer();
        model = fresh;
        String from = activationName;
        activationName = name;
        reporter.report("switch", "activation switched from '" + from + "' to '" + name + "' at step " + step);
    }

    /**
     * Switches optimizer carrying the moments. When the new optimizer cannot take them, the switch
     * is refused (the run goes on with the current one) unless fresh state was asked for.
     */
    void switchOptimizer(String name, boolean freshState, long step) {
        if (name.equals(optimizerName)) {
            reporter.report("unchanged", "optimizer '" + name + "' is already in use at step " + step + ": nothing to switch");
            return;
        }
        OptimizerFactory f = services.optimizers().apply(name);
        if (f == null) {
            reporter.report("refused", "optimizer '" + name + "' is not installed at step " + step + "; still using '"
                    + optimizerName + "'");
            return;
        }
        Optimizer o;
        try {
            o = create(f, name);
        } catch (IllegalArgumentException e) {
            reporter.report("refused", "cannot switch to optimizer '" + name + "' at step " + step + ": " + e.getMessage()
                    + "; still using '" + optimizerName + "'");
            return;
        }
        if (o == null) {
            reporter.report("refused", "cannot switch to optimizer '" + name + "' at step " + step + ": "
                    + lastCreateFailure + "; still using '" + optimizerName + "'");
            return;
        }
        OptimizerState carry = stateToCarry();
        String how = "moments carried over";
        if (carry != null) {
            try {
                o.importState(carry);
            } catch (IncompatibleStateException e) {
                if (!freshState) {
                    reporter.report("refused", "cannot switch to optimizer '" + name + "' at step " + step + ": " + e.getMessage()
                            + "; still using '" + optimizerName + "' (vesper:use --fresh optimizer " + name + " switches with fresh moments)");
                    return;
                }
                how = "fresh state, as asked (" + e.getMessage() + ")";
            } catch (RuntimeException | LinkageError e) {
                reporter.report("refused", "cannot switch to optimizer '" + name + "' at step " + step + ": "
                        + describe(name, f) + " failed to take the moments (" + PluginFault.reason(e) + "); still using '"
                        + optimizerName + "'");
                return;
            }
        } else {
            how = "fresh moments";
        }
        String from = optimizerName;
        optimizer = o;
        optimizerFactory = f;
        optimizerName = name;
        carriedState = null;
        optimizersUsed.add(name + " after step " + step);
        reporter.report("switch", "optimizer switched from '" + from + "' to '" + name + "' at step " + step + ", " + how);
    }

    /** Puts the weights and optimizer state of a checkpoint back (fault recovery). */
    void reload(Checkpoint c, Path from) {
        c.loadInto(model, from);
        if (c.optimizer() == null) {
            return;
        }
        if (optimizer == null) {
            carriedState = c.optimizer();
            return;
        }
        try {
            optimizer.importState(c.optimizer());
        } catch (RuntimeException | LinkageError e) {
            // the checkpoint predates a switch to an optimizer that cannot take its state (or the optimizer
            // fails to take it): start it afresh
            optimizer = null;
            optimizerFactory = null;
            carriedState = null;
            reporter.report("optimizer", "optimizer '" + optimizerName + "' could not take the state of " + from
                    + " (" + PluginFault.reason(e) + "): it starts fresh");
        }
    }
}

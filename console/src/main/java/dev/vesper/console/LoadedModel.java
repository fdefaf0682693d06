package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The model that generate, chat and save work on: the last one loaded, or the last trained; and the
 * meta head attached to it, if any.
 * Shared by this bundle's command components.
 * <p>
 * The model outlives the bundle that made it: when the model factory goes away (its bundle updated,
 * stopped or refreshed), the model's weights are kept, and the next use rebuilds it with the factory
 * there is then. A model of a factory that has gone would run the old bundle's code, and look its
 * activation up in a registry that no longer hears of any.
 * <p>
 * Immediate: a delayed component would be disposed, and the model with it, whenever every command
 * component that holds it goes (Gogo ungets a command's service after each call; an update restarts them).
 */
@Component(service = LoadedModel.class, immediate = true)
public final class LoadedModel {
    /** A model with its tokenizer and where it came from. */
    public record Entry(LanguageModel model, Tokenizer tokenizer, String source) {
    }

    /** A meta head, the model whose hidden states it reads, and where it came from. */
    public record Meta(Entry owner, MetaHead head, String source) {
    }

    /** A loaded model whose factory went away: what it takes to make it again with the next one. */
    private record Orphan(Entry entry, ModelConfig config, Map<String, Tensor> weights, Map<String, Tensor> adapter) {
    }

    private volatile Entry current;
    private volatile Meta meta;
    private ModelFactory models;
    private Orphan orphan;
    /** How many models were loaded: what {@link #replace} compares; making the model again is no load. */
    private long loads;
    /** How many model factories went: a job's model made before one went may be of the one that went. */
    private long factoriesGone;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindModels")
    synchronized void bindModels(ModelFactory factory) {
        models = factory;
    }

    /** The factory goes: the loaded model, which it made, keeps its weights for the next factory. */
    synchronized void unbindModels(ModelFactory factory) {
        if (models != factory) {
            return;
        }
        models = null;
        factoriesGone++;
        orphanCurrent();
    }

    /** A mark to take when a job starts, for {@link #factoryWentSince}. */
    synchronized long factoriesGone() {
        return factoriesGone;
    }

    /**
     * Whether a model factory went since {@code mark} was taken: a job's model is then kept as weights, for the
     * factory running at its first use. When none went, the job's model is used as it is (no copy); if its factory
     * goes after the hand-over, {@link #unbindModels} keeps its weights then.
     */
    synchronized boolean factoryWentSince(long mark) {
        return factoriesGone != mark;
    }

    private void orphanCurrent() {
        Entry e = current;
        if (e != null && orphan == null) {
            LanguageModel m = e.model();
            ModelConfig config = m.config();
            orphan = new Orphan(e, config, m.weights(false), config.hasAdapter() ? m.weights(true) : null);
        }
    }

    /**
     * The loaded model, made again with the factory there is now when the one that made it has gone.
     *
     * @throws IllegalStateException when it has gone and none has come yet
     */
    private synchronized Entry live() {
        Orphan o = orphan;
        if (o == null) {
            return current;
        }
        ModelFactory factory = models;
        String source = o.entry().source();
        if (factory == null) {
            throw new IllegalStateException("the loaded model (" + source + ") waits for its model bundle: no model"
                    + " factory is running now (lb lists the bundles; start the model bundle again)");
        }
        LanguageModel m = factory.create(o.config(), 0L);
        m.loadWeights(o.weights(), false, false, source);
        if (o.adapter() != null) {
            m.loadWeights(o.adapter(), true, false, source);
        }
        Entry e = new Entry(m, o.entry().tokenizer(), source);
        if (meta != null && meta.owner() == o.entry()) {
            meta = new Meta(e, meta.head(), meta.source());
        }
        current = e;
        orphan = null;
        return e;
    }

    /**
     * Loads a model; a meta head attached to the model before it goes with it. With no model factory running,
     * the factory that made the model has gone: the model is kept as weights for the next one, like a loaded model.
     */
    void set(LanguageModel model, Tokenizer tokenizer, String source) {
        set(model, tokenizer, source, false);
    }

    /**
     * Loads a model, or with {@code asWeights} only its weights, which the next use makes into a model with the
     * factory there is then: for a job's model when a model factory went while it ran ({@link #factoryWentSince}),
     * as a model bundle update stops the job; this component may already hold the next factory by the hand-over,
     * and a model of the gone factory would fail for want of its activation.
     */
    synchronized void set(LanguageModel model, Tokenizer tokenizer, String source, boolean asWeights) {
        loads++;
        current = new Entry(model, tokenizer, source);
        orphan = null;
        meta = null;
        if (models == null || asWeights) {
            orphanCurrent();
        }
    }

    /**
     * A mark of the model loaded now, for {@link #replace}: taken without making the model again (a job's model is
     * kept as weights, and making it costs a whole model), and the same after it is made again.
     */
    synchronized long loads() {
        return loads;
    }

    /**
     * Loads a model unless another was loaded since {@code expected} ({@link #loads()}) was taken: a background run
     * that ends takes the place of the model loaded when it started, never of one the user loaded meanwhile; the
     * same model made again by the next factory is no other model.
     * {@code asWeights} as for {@link #set(LanguageModel, Tokenizer, String, boolean)}.
     *
     * @return whether it was loaded
     */
    synchronized boolean replace(long expected, LanguageModel model, Tokenizer tokenizer, String source,
                                 boolean asWeights) {
        if (loads != expected) {
            return false;
        }
        set(model, tokenizer, source, asWeights);
        return true;
    }

    /**
     * Attaches a meta head to {@code owner}, which must still be the loaded model: a background run that
     * ends meanwhile loads its own model, and a head never moves to a model it was not made for.
     */
    synchronized void attach(Entry owner, MetaHead head, String source) {
        if (current != owner) {
            throw new IllegalStateException("the loaded model changed to " + (current == null ? "none" : current.source())
                    + " meanwhile; the meta head from " + source + " reads " + owner.source() + "'s hidden states"
                    + " and was not attached");
        }
        int width = owner.model().config().dModel();
        if (head.dModel() != width) {
            throw new IllegalArgumentException(source + ": a meta head for hidden states of width " + head.dModel()
                    + "; the loaded model's d_model is " + width);
        }
        meta = new Meta(owner, head, source);
    }

    /** The meta head of the model loaded now, if it has one. */
    synchronized java.util.Optional<Meta> meta() {
        Entry current = live();
        return meta != null && meta.owner() == current ? java.util.Optional.of(meta) : java.util.Optional.empty();
    }

    Meta requireMeta(String command) {
        Meta m = meta().orElse(null);
        if (m == null) {
            throw new IllegalStateException(command + ": the loaded model has no meta head; make one with"
                    + " vesper:meta train, or read one with vesper:meta load <file>");
        }
        return m;
    }

    /**
     * Where the loaded model came from, without making it again: naming it costs no model, and works while its
     * model bundle is away.
     */
    java.util.Optional<String> source() {
        Entry e = current;
        return e == null ? java.util.Optional.empty() : java.util.Optional.of(e.source());
    }

    java.util.Optional<Entry> optional() {
        return java.util.Optional.ofNullable(live());
    }

    Entry require() {
        Entry e = live();
        if (e == null) {
            throw new IllegalStateException("no model loaded: train one (vesper:train) or load a checkpoint (vesper:load <dir>)");
        }
        return e;
    }
}

package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.model.LanguageModel;
import org.osgi.service.component.annotations.Component;

/**
 * The model that generate, chat and save work on: the last one loaded, or the last trained; and the
 * meta head attached to it, if any.
 * Shared by this bundle's command components.
 */
@Component(service = LoadedModel.class)
public final class LoadedModel {
    /** A model with its tokenizer and where it came from. */
    public record Entry(LanguageModel model, Tokenizer tokenizer, String source) {
    }

    /** A meta head, the model whose hidden states it reads, and where it came from. */
    public record Meta(Entry owner, MetaHead head, String source) {
    }

    private volatile Entry current;
    private volatile Meta meta;

    /** Loads a model; a meta head attached to the model before it goes with it. */
    synchronized void set(LanguageModel model, Tokenizer tokenizer, String source) {
        current = new Entry(model, tokenizer, source);
        meta = null;
    }

    /**
     * Loads a model unless another was loaded since {@code expected} was: a background run that ends
     * takes the place of the model loaded when it started, never of one the user loaded meanwhile.
     *
     * @return whether it was loaded
     */
    synchronized boolean replace(Entry expected, LanguageModel model, Tokenizer tokenizer, String source) {
        if (current != expected) {
            return false;
        }
        set(model, tokenizer, source);
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

    java.util.Optional<Entry> optional() {
        return java.util.Optional.ofNullable(current);
    }

    Entry require() {
        Entry e = current;
        if (e == null) {
            throw new IllegalStateException("no model loaded: train one (vesper:train) or load a checkpoint (vesper:load <dir>)");
        }
        return e;
    }
}

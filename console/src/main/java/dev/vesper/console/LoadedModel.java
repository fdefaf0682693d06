package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import org.osgi.service.component.annotations.Component;

/**
 * The model that generate, chat and save work on: the last one loaded, or the last trained.
 * Shared by this bundle's command components.
 */
@Component(service = LoadedModel.class)
public final class LoadedModel {
    /** A model with its tokenizer and where it came from. */
    public record Entry(LanguageModel model, Tokenizer tokenizer, String source) {
    }

    private volatile Entry current;

    void set(LanguageModel model, Tokenizer tokenizer, String source) {
        current = new Entry(model, tokenizer, source);
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

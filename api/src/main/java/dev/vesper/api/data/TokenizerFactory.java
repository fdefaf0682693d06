package dev.vesper.api.data;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Trains, loads and builds tokenizers. */
@ProviderType
public interface TokenizerFactory {
    /** A byte-level BPE tokenizer trained on {@code corpus} to {@code vocabSize} ids, specials included. */
    Tokenizer trainBpe(Iterable<String> corpus, int vocabSize, List<String> specialTokens);

    /** The byte tokenizer: 256 ids, then the special tokens. */
    Tokenizer bytes(List<String> specialTokens);

    /**
     * A tokenizer from Hugging Face {@code tokenizer.json} text.
     *
     * @throws IllegalArgumentException naming {@code source} and the field at fault
     */
    Tokenizer fromJson(String json, String source);
}

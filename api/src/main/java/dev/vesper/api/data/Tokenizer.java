package dev.vesper.api.data;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns text into token ids and back. Encoding then decoding returns the original text, for any
 * UTF-8 input. Thread-safe.
 */
@ProviderType
public interface Tokenizer {
    /** {@code bpe} or {@code byte}. */
    String kind();

    int vocabSize();

    int[] encode(String text);

    /**
     * Encodes raw bytes, which need not be valid UTF-8: {@code decodeBytes(encodeBytes(b))} equals
     * {@code b} for every byte string. For valid UTF-8 it gives the same ids as {@link #encode}.
     */
    int[] encodeBytes(byte[] utf8);

    /** Ids to text; byte sequences that are not valid UTF-8 decode to U+FFFD. */
    String decode(int[] ids);

    /** Ids to raw bytes, exactly as encoded. */
    byte[] decodeBytes(int[] ids);

    /** Special tokens by their text, such as {@code <|endoftext|>}. */
    Map<String, Integer> specialTokens();

    /** The end-of-text id, or -1 when the tokenizer has none. */
    int endOfText();

    /** The Hugging Face {@code tokenizer.json} form. */
    String toJson();

    /** A hash of the vocabulary, merges and specials, for caches. */
    String fingerprint();
}

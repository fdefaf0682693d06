package dev.vesper.trainer.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --tokenizer} option: {@code bpe:<vocab>}, {@code byte}, or a path to a {@code tokenizer.json}. */
public record TokenizerSpec(String kind, int vocab, Path file) {
    /** Vocabulary sizes below the 256 byte tokens and the end-of-text special make no BPE. */
    public static final int MIN_BPE_VOCAB = 257;

    public static TokenizerSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--tokenizer: expected bpe:<vocab>, byte or a tokenizer.json path");
        }
        if (spec.equals("byte")) {
            return new TokenizerSpec("byte", 0, null);
        }
        if (spec.startsWith("bpe:")) {
            int vocab;
            try {
                vocab = Integer.parseInt(spec.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokenizer: '" + spec + "' needs a whole vocabulary size, as bpe:4096");
            }
            if (vocab < MIN_BPE_VOCAB) {
                throw new IllegalArgumentException("--tokenizer: vocabulary " + vocab + " is below " + MIN_BPE_VOCAB);
            }
            return new TokenizerSpec("bpe", vocab, null);
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--tokenizer: no file " + p + " (expected bpe:<vocab>, byte or a "
                    + "tokenizer.json path)");
        }
        return new TokenizerSpec("file", 0, p);
    }
}

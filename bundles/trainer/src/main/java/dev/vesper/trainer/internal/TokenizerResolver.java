package dev.vesper.trainer.internal;

import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The run's tokenizer from {@code --tokenizer}. {@code bpe:<vocab>} is trained on the dataset's
 * documents once and kept in the cache directory under a key of data, fingerprint and vocabulary,
 * so a second run on the same data reuses it. Every run keeps a copy as {@code tokenizer.json}.
 */
final class TokenizerResolver {
    static final String END_OF_TEXT = "<|endoftext|>";
    static final String RUN_FILE = CheckpointLayout.TOKENIZER;

    private final Collaborators services;
    private final Path runDirectory;
    private final Path cache;

    TokenizerResolver(Collaborators services, Path runDirectory, Path cache) {
        this.services = services;
        this.runDirectory = runDirectory;
        this.cache = cache;
    }

    Tokenizer resolve(TrainingConfig config) throws IOException {
        TokenizerSpec spec = TokenizerSpec.parse(config.tokenizer());
        switch (spec.kind()) {
            case "byte":
                return services.tokenizers().bytes(List.of(END_OF_TEXT));
            case "file":
                return services.tokenizers().fromJson(Files.readString(spec.file()), spec.file().toString());
            default:
                return bpe(config.data(), Configs.readOptions(config), spec.vocab());
        }
    }

    private Tokenizer bpe(String data, ReadOptions read, int vocab) throws IOException {
        List<String> texts = new ArrayList<>();
        ReadSummary summary = services.data().documents(data, read, d -> texts.add(d.text()));
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(data + ": no text to train a tokenizer on"
                    + (summary.badLines() > 0 ? ": all " + summary.badLines() + " lines were bad and skipped"
                    + " (--skip-bad-lines); the first: " + summary.firstBadLine() : ""));
        }
        Path cached = cache.resolve("tokenizer-bpe" + vocab + "-" + key(data + "\n" + read.field() + "\n"
                + summary.fingerprint()) + ".json");
        Tokenizer reused = cachedCopy(cached);
        if (reused != null) {
            return reused;
        }
        long t0 = System.nanoTime();
        Tokenizer t = services.tokenizers().trainBpe(texts, vocab, List.of(END_OF_TEXT));
        TrainingLoop.LOG.log(Level.INFO, "trained a BPE tokenizer of " + t.vocabSize() + " ids (" + vocab
                + " asked; a small corpus runs out of merges first) on " + texts.size() + " documents of " + data
                + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        AtomicFiles.writeText(cached, t.toJson());
        return t;
    }

    /**
     * The tokenizer cached at {@code file}, or null when there is none or it cannot be read: a damaged copy
     * (a crash mid-write by an older version, a disk fault, a hand edit) is trained again, as every cache is
     * rebuilt when it cannot be used, and the user is told which file it was.
     */
    private Tokenizer cachedCopy(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return services.tokenizers().fromJson(Files.readString(file), file.toString());
        } catch (IOException | IllegalArgumentException e) {
            String why = String.valueOf(e.getMessage());
            TrainingLoop.LOG.log(Level.WARNING, "the cached tokenizer cannot be used ("
                    + (why.contains(file.toString()) ? why : file + ": " + why) + "); training it again");
            return null;
        }
    }

    static void writeRunCopy(Path runDirectory, Tokenizer t) throws IOException {
        AtomicFiles.writeText(runDirectory.resolve(RUN_FILE), t.toJson());
    }

    private static String key(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

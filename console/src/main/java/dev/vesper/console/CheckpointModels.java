package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a checkpoint folder into a model and its tokenizer, through the services. */
final class CheckpointModels {
    private CheckpointModels() {
    }

    /** The run folder in {@code dir} last written to, as {@code runs/} holds them. */
    private static java.util.Optional<Path> newestRun(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.filter(CheckpointLayout::isRun).max(java.util.Comparator.comparing(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException gone) {
                    return java.nio.file.attribute.FileTime.fromMillis(0);
                }
            }));
        }
    }

    static LoadedModel.Entry load(Path dir, CheckpointStore store, ModelFactory models, TokenizerFactory tokenizers)
            throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException(dir + " is a file; a checkpoint is a folder holding model.safetensors"
                    + " and tokenizer.json");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no checkpoint folder " + dir);
        }
        if (!CheckpointLayout.isCheckpoint(dir)) {
            if (CheckpointLayout.isRun(dir)) {
                throw new IllegalArgumentException(dir + " is a run folder; load one of its checkpoints"
                        + CheckpointLayout.newest(dir).map(p -> ", e.g. " + p).orElse(" (it has none yet)"));
            }
            java.util.Optional<Path> inside = CheckpointLayout.newest(dir);
            if (inside.isPresent()) {
                throw new IllegalArgumentException(dir + " holds checkpoints; load one of them, e.g. " + inside.get());
            }
            java.util.Optional<Path> latestRun = newestRun(dir);
            if (latestRun.isPresent()) {
                throw new IllegalArgumentException(dir + " holds run folders; load a checkpoint of one of them"
                        + CheckpointLayout.newest(latestRun.get()).map(p -> ", e.g. " + p).orElse(""));
            }
        }
        Checkpoint cp = store.loadModel(dir);
        LanguageModel model = models.create(cp.config(), 0L);
        cp.loadInto(model, dir);
        if (cp.tokenizerJson() == null) {
            throw new IllegalArgumentException(dir.resolve(CheckpointLayout.TOKENIZER) + ": missing; a model needs its tokenizer");
        }
        Path tokenizerFile = dir.resolve(CheckpointLayout.TOKENIZER);
        Tokenizer tokenizer = tokenizers.fromJson(cp.tokenizerJson(), tokenizerFile.toString());
        if (tokenizer.vocabSize() != cp.config().vocabSize()) {
            // a tokenizer.json from another run: every id past the smaller of the two would fail, or mean another token
            throw new IllegalArgumentException(tokenizerFile + " has " + tokenizer.vocabSize() + " ids but "
                    + dir.resolve(CheckpointLayout.MODEL) + " was made for vocab_size " + cp.config().vocabSize());
        }
        return new LoadedModel.Entry(model, tokenizer, dir.toString());
    }
}

package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointLayout;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --model <checkpoint directory>}: a new run (step 0, fresh optimizer) starting from a
 * checkpoint's weights, with its configuration and tokenizer; {@code --adapter} and {@code --activation}
 * may change it (an adapter freezes the loaded base weights). Loaded and checked at {@code start}, as a
 * resumption is, so that a setting the checkpoint rules out is refused before the job tokenizes anything.
 */
public final class FineTuneSource {
    private final Path directory;
    private Checkpoint checkpoint;
    private final Tokenizer tokenizer;
    private final ModelConfig config;

    private FineTuneSource(Path directory, Checkpoint checkpoint, Tokenizer tokenizer, ModelConfig config) {
        this.directory = directory;
        this.checkpoint = checkpoint;
        this.tokenizer = tokenizer;
        this.config = config;
    }

    /** @throws IllegalArgumentException naming the option and the checkpoint file at fault */
    public static FineTuneSource open(Collaborators services, TrainingConfig run) {
        Path dir = Path.of(run.model());
        Checkpoint c;
        try {
            c = services.checkpoints().loadModel(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
        Path file = dir.resolve(TokenizerResolver.RUN_FILE);
        if (c.tokenizerJson() == null) {
            throw new IllegalArgumentException("--model: " + file + " is missing; a model needs its tokenizer");
        }
        Tokenizer tokenizer;
        try {
            tokenizer = requireSameKind(services, run, services.tokenizers().fromJson(c.tokenizerJson(), file.toString()), file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--tokenizer: " + e.getMessage(), e);
        }
        ModelConfig mc = c.config();
        if (mc.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("--model: " + file + " has " + tokenizer.vocabSize()
                    + " ids but model.safetensors was made for vocab_size " + mc.vocabSize());
        }
        mc = withOverrides(mc, run, dir);
        if (run.adapter() != null && mc.hasAdapter() && !run.adapter().equals(mc.adapter())) {
            throw new IllegalArgumentException("--adapter: " + dir.resolve(CheckpointLayout.MODEL) + " already has a '"
                    + mc.adapter() + "' adapter; drop --adapter or fine-tune a checkpoint without one");
        }
        if (run.adapter() != null && !mc.hasAdapter()) {
            mc = mc.with("adapter", run.adapter());
        }
        if (run.activation() != null) {
            mc = mc.with("activation", run.activation());
        } else if (services.activations().apply(mc.activation()) == null) {
            throw new IllegalArgumentException("--model: " + dir + " was trained with the activation '" + mc.activation()
                    + "', which is not installed: install its bundle, or choose another with --activation");
        }
        if (run.seq() > mc.context()) {
            throw new IllegalArgumentException("--seq: " + run.seq() + " exceeds the model's context " + mc.context());
        }
        return new FineTuneSource(dir, c, tokenizer, mc);
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The model, with the checkpoint's weights; called once, after which the tensors read are let go. */
    LanguageModel createModel(Collaborators services, long seed) {
        LanguageModel m = services.models().create(config, seed);
        checkpoint.loadInto(m, directory);
        checkpoint = null;
        return m;
    }

    /**
     * The checkpoint fixes the architecture: an override that would change it is refused rather than ignored.
     * Dropout is a training setting, so it may change.
     */
    private static ModelConfig withOverrides(ModelConfig mc, TrainingConfig config, Path dir) {
        for (Map.Entry<String, Object> e : config.modelOverrides().entrySet()) {
            ModelConfig changed;
            try {
                changed = mc.with(e.getKey(), e.getValue());
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("--config: " + bad.getMessage(), bad);
            }
            if (e.getKey().equals("dropout")) {
                mc = changed;
            } else if (!changed.equals(mc)) {
                throw new IllegalArgumentException("--config: " + e.getKey() + "=" + e.getValue() + " differs from "
                        + dir.resolve(CheckpointLayout.MODEL) + " (" + e.getKey() + "=" + mc.toMap().get(e.getKey())
                        + "); a checkpoint given as --model fixes the architecture");
            }
        }
        return mc;
    }

    /** A checkpoint brings its tokenizer: a --tokenizer that differs would be ignored, so it is refused. */
    private static Tokenizer requireSameKind(Collaborators services, TrainingConfig config, Tokenizer own, Path file)
            throws IOException {
        if (config.tokenizer().equals(new TrainingConfig().tokenizer())) {
            return own;
        }
        TokenizerSpec spec = TokenizerSpec.parse(config.tokenizer());
        boolean same = switch (spec.kind()) {
            case "file" -> services.tokenizers().fromJson(Files.readString(spec.file()), spec.file().toString())
                    .fingerprint().equals(own.fingerprint());
            case "bpe" -> own.kind().equals("bpe") && own.vocabSize() == spec.vocab();
            default -> spec.kind().equals(own.kind());
        };
        if (!same) {
            throw new IllegalArgumentException("--tokenizer: the checkpoint given as --model brings its own " + file
                    + " (" + own.kind() + ", " + own.vocabSize() + " ids); drop --tokenizer");
        }
        return own;
    }
}

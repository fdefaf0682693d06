package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --model <checkpoint directory>}: a new run (step 0, fresh optimizer) starting from a
 * checkpoint's weights, with its configuration; {@code --adapter} and {@code --activation} may
 * change it (an adapter freezes the loaded base weights).
 */
final class FineTuneSource {
    private FineTuneSource() {
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
                        + dir.resolve("model.safetensors") + " (" + e.getKey() + "=" + mc.toMap().get(e.getKey())
                        + "); a checkpoint given as --model fixes the architecture");
            }
        }
        return mc;
    }

    static LanguageModel load(Collaborators services, Path dir, Tokenizer tokenizer, TrainingConfig config) {
        Checkpoint c;
        try {
            c = services.checkpoints().load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("--model: " + e.getMessage(), e);
        }
        ModelConfig mc = c.config();
        if (mc.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("--model: " + dir.resolve("tokenizer.json") + " has "
                    + tokenizer.vocabSize() + " ids but model.safetensors was made for vocab_size " + mc.vocabSize());
        }
        mc = withOverrides(mc, config, dir);
        if (config.adapter() != null && mc.hasAdapter() && !config.adapter().equals(mc.adapter())) {
            throw new IllegalArgumentException("--adapter: " + dir.resolve("model.safetensors") + " already has a '"
                    + mc.adapter() + "' adapter; drop --adapter or fine-tune a checkpoint without one");
        }
        if (config.adapter() != null && !mc.hasAdapter()) {
            mc = mc.with("adapter", config.adapter());
        }
        if (config.activation() != null) {
            mc = mc.with("activation", config.activation());
        }
        if (config.seq() > mc.context()) {
            throw new IllegalArgumentException("--seq: " + config.seq() + " exceeds the model's context " + mc.context());
        }
        LanguageModel m = services.models().create(mc, config.seed());
        m.loadWeights(c.model(), false, false, dir.resolve("model.safetensors").toString());
        if (c.config().hasAdapter() && mc.hasAdapter()) {
            m.loadWeights(c.adapter(), true, false, dir.resolve("adapter.safetensors").toString());
        }
        return m;
    }
}

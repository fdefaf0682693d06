package dev.vesper.trainer.internal;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code --model <checkpoint directory>}: a new run (step 0, fresh optimizer) starting from a
 * checkpoint's weights, with its configuration; {@code --adapter} and {@code --activation} may
 * change it (an adapter freezes the loaded base weights).
 */
final class FineTuneSource {
    private FineTuneSource() {
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

package dev.vesper.metacog.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The final hidden state of each labelled text: what the meta head reads after the text's last token,
 * as it would after generating that token. The model is frozen, so each text is read once.
 */
final class FinalStates {
    private FinalStates() {
    }

    /** {@code [texts, d_model]}; a text longer than the model's context is read by its last tokens. */
    static float[] read(Autograd autograd, LanguageModel model, Tokenizer tokenizer,
                        List<LabelledTexts.LabelledText> texts, Path file) throws IOException {
        int d = model.config().dModel();
        int context = model.config().context();
        float[] states = new float[texts.size() * d];
        for (int i = 0; i < texts.size(); i++) {
            int[] ids = tokenizer.encode(texts.get(i).text());
            if (ids.length == 0) {
                throw new IOException(file + ":" + texts.get(i).line() + ": the text has no tokens");
            }
            int[] window = ids.length > context ? Arrays.copyOfRange(ids, ids.length - context, ids.length) : ids;
            try (Graph g = autograd.noGrad()) {
                Tensor h = model.hidden(g, IntTensor.wrap(window, 1, window.length));
                System.arraycopy(h.data(), h.offset() + (window.length - 1) * d, states, i * d, d);
            }
        }
        return states;
    }
}

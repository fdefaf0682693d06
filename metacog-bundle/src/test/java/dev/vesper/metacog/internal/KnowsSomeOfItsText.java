package dev.vesper.metacog.internal;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.model.TokenSink;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A language model whose behaviour a test can reason about: its hidden state is the current byte as
 * one-hot over {@code id mod 32}, and it always predicts the next letter of the alphabet. On text in
 * which "a" is always followed by "b" and other letters follow at random, it is right after every "a",
 * about one time in eight after b to g, and never after "h" or ".".
 */
final class KnowsSomeOfItsText implements LanguageModel {
    static final int WIDTH = 32;
    private final ModelConfig config;
    private final int vocab;

    KnowsSomeOfItsText(int vocab) {
        this.vocab = vocab;
        this.config = ModelConfig.preset("tiny", vocab).with("d_model", WIDTH).with("heads", 2).with("context", 64);
    }

    /** The hidden state this model has on byte {@code c}. */
    static float[] hiddenOf(int c) {
        float[] h = new float[WIDTH];
        h[c % WIDTH] = 1;
        return h;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Tensor hidden(Graph graph, IntTensor ids) {
        Tensor h = Tensor.zeros(ids.dim(0), ids.dim(1), WIDTH);
        for (int i = 0; i < ids.size(); i++) {
            h.set(i * WIDTH + ids.get(i) % WIDTH, 1f);
        }
        return h;
    }

    @Override
    public Tensor head(Graph graph, Tensor hidden) {
        int rows = hidden.size() / WIDTH;
        Tensor logits = Tensor.zeros(hidden.dim(0), hidden.dim(1), vocab);
        for (int r = 0; r < rows; r++) {
            int slot = 0;
            while (hidden.get(r * WIDTH + slot) == 0) {
                slot++;
            }
            // a letter sits at slot 1 ("a" = 97) to 26: predict the byte after it
            logits.set(r * vocab + Math.min(vocab - 1, 96 + slot + 1), 1f);
        }
        return logits;
    }

    @Override
    public Tensor forward(Graph graph, IntTensor ids) {
        return head(graph, hidden(graph, ids));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public List<Parameter> trainableParameters() {
        return List.of();
    }

    @Override
    public void afterStep() {
    }

    @Override
    public int[] generate(int[] prompt, SamplingOptions options, TokenSink sink) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public Map<String, Tensor> weights(boolean adapter) {
        return Map.of();
    }

    @Override
    public void loadWeights(Map<String, Tensor> weights, boolean adapter, boolean partial, String source) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public void mergeAdapter() {
    }
}

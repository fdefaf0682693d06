package dev.vesper.metacog.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;

/**
 * One batch read through a language model, without gradients: the final hidden state of every
 * position, and the two facts the meta head learns to predict there, whether the model's most likely
 * next token is the right one and whether the next token ends the text.
 */
final class HiddenBatch {
    private final int width;
    final float[] hidden;
    /** 1 where the model's most likely next token is the target. */
    final float[] topTokenRight;
    /** 1 where the target is the end-of-text token. */
    final float[] endsText;
    /** Positions that count: false where the target is {@code ignore}. */
    final boolean[] counted;
    private int rows;

    HiddenBatch(int capacity, int width) {
        this.width = width;
        this.hidden = new float[capacity * width];
        this.topTokenRight = new float[capacity];
        this.endsText = new float[capacity];
        this.counted = new boolean[capacity];
    }

    /** Reads {@code inputs} {@code [batch, seq]} through {@code model}, and labels them from {@code targets}. */
    void read(Autograd autograd, LanguageModel model, int[] inputs, int[] targets, int batch, int seq,
              int endOfText, int ignore) {
        rows = batch * seq;
        try (Graph g = autograd.noGrad()) {
            Tensor h = model.hidden(g, IntTensor.wrap(inputs, batch, seq));
            Tensor logits = model.head(g, h);
            System.arraycopy(h.data(), h.offset(), hidden, 0, rows * width);
            int vocab = logits.dim(-1);
            for (int r = 0; r < rows; r++) {
                counted[r] = targets[r] != ignore;
                topTokenRight[r] = argmax(logits.data(), logits.offset() + r * vocab, vocab) == targets[r] ? 1f : 0f;
                endsText[r] = targets[r] == endOfText && endOfText >= 0 ? 1f : 0f;
            }
        }
    }

    private static int argmax(float[] a, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[from + i] > a[from + best]) {
                best = i;
            }
        }
        return best;
    }

    int rows() {
        return rows;
    }

    Tensor hiddenTensor() {
        return MetaPass.matrix(hidden, rows, width);
    }
}

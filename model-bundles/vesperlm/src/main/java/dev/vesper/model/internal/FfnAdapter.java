package dev.vesper.model.internal;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;

/** A low-rank adapter on one FFN matrix W {@code [out, in]} (spec section 4). */
abstract class FfnAdapter {
    final String prefix;
    final Tensor a;
    final Tensor b;
    final float scale;

    FfnAdapter(String prefix, Tensor a, Tensor b, float scale) {
        this.prefix = prefix;
        this.a = a;
        this.b = b;
        this.scale = scale;
    }

    /** {@code W_eff·x} through graph operations, so that gradients reach the adapter. */
    abstract Tensor linear(Graph g, Tensor x, Tensor w);

    /** The adapter's tensors by spec name, A and B first. */
    abstract Map<String, Tensor> tensors();

    /** Work after an optimizer step; nothing by default. */
    void afterStep() {
    }

    /** Forgets what the passes of a skipped step gathered; nothing by default. */
    void afterSkippedStep() {
    }

    /** Folds the adapter into {@code w} in place. */
    abstract void mergeInto(Tensor w);

    int rank() {
        return a.dim(0);
    }

    int in() {
        return a.dim(1);
    }

    int out() {
        return b.dim(0);
    }
}

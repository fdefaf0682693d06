package dev.vesper.autograd.internal;

import dev.vesper.api.tensor.Shapes;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a graph holds from the buffer pool, and where each gradient is: the tensors the graph made
 * (with whether they need a gradient), the gradient written so far for each, and when each array goes
 * back to the pool. {@link TapeGraph}'s operations take their outputs, saved buffers and gradients
 * from here.
 */
final class GraphMemory {
    private final BufferPool pool;
    /** Tensors made by the graph, with whether they need a gradient. */
    private final IdentityHashMap<Tensor, Boolean> owned = new IdentityHashMap<>();
    /** Gradient tensors written so far: pooled ones of intermediates, views of trainable leaves' arrays. */
    private final IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
    /** Every array the graph holds from the pool (outputs, gradients, saved buffers, scratch). */
    private final IdentityHashMap<float[], Boolean> borrowedSet = new IdentityHashMap<>();
    /** Arrays holding operation outputs: valid until close. */
    private final List<float[]> outputs = new ArrayList<>();
    /** Buffers that belong to no recorded entry (loss results, saved buffers of untaped ops): released when backward ends. */
    private final List<float[]> transients = new ArrayList<>();

    GraphMemory(BufferPool pool) {
        this.pool = pool;
    }

    float[] take(int size, boolean zero) {
        float[] a = pool.take(size, zero);
        borrowedSet.put(a, Boolean.TRUE);
        return a;
    }

    void giveBack(float[] a) {
        borrowedSet.remove(a);
        pool.give(a);
    }

    /** A buffer that only one operation's backward reads (statistics, a copy); handed to the tape with it. */
    Tensor saved(int... shape) {
        return Tensor.wrap(take(Shapes.size(shape), false), 0, shape);
    }

    /** A new output tensor; its gradient array comes later, when the reverse pass first writes it. */
    Tensor output(boolean needsGrad, int... shape) {
        float[] a = take(Shapes.size(shape), false);
        outputs.add(a);
        Tensor t = Tensor.wrap(a, 0, shape);
        owned.put(t, needsGrad);
        return t;
    }

    /** Whether the graph made {@code t}. */
    boolean made(Tensor t) {
        return owned.containsKey(t);
    }

    /** Whether {@code t} needs a gradient: as the graph made it, or as a leaf says. */
    boolean needsGrad(Tensor t) {
        Boolean o = owned.get(t);
        return o != null ? o : t.requiresGrad();
    }

    /** Whether {@code t}, which the graph did not make, shares its array with one of the graph's intermediates. */
    boolean sharesAnIntermediate(Tensor t) {
        return !owned.containsKey(t) && borrowedSet.containsKey(t.data());
    }

    /**
     * The gradient tensor of {@code t} for a kernel that adds into it: an intermediate's pooled one
     * (cleared when new), or a view of a leaf's own array.
     */
    Tensor grad(Tensor t) {
        Tensor g = grads.get(t);
        if (g == null) {
            g = owned.containsKey(t) ? newGrad(t, true) : Tensor.wrap(t.grad(), 0, t.shape());
            grads.put(t, g);
        }
        return g;
    }

    /** Whether {@code t} is an intermediate whose gradient nothing has written yet (a kernel may overwrite it). */
    boolean unwritten(Tensor t) {
        return owned.containsKey(t) && !grads.containsKey(t);
    }

    /** The gradient of {@code t} for a kernel that overwrites it when {@link #unwritten}, adds into it otherwise. */
    Tensor gradToWrite(Tensor t) {
        if (!unwritten(t)) {
            return grad(t);
        }
        Tensor g = newGrad(t, false);
        grads.put(t, g);
        return g;
    }

    private Tensor newGrad(Tensor t, boolean zero) {
        float[] a = take(t.size(), zero);
        t.setGrad(a);
        return Tensor.wrap(a, 0, t.shape());
    }

    /**
     * Hands the gradient array of {@code from}, which nothing reads after the caller's backward,
     * to {@code t} as its gradient without copying, when {@code t}'s is still unwritten and the
     * sizes agree; false otherwise (then the caller adds as usual).
     */
    boolean adopt(Tensor from, Tensor t) {
        Tensor g = grads.get(from);
        if (from == t || g == null || !owned.containsKey(from) || !unwritten(t) || g.size() != t.size()) {
            return false;
        }
        grads.remove(from);
        from.setGrad(null);
        t.setGrad(g.data());
        grads.put(t, Tensor.wrap(g.data(), 0, t.shape()));
        return true;
    }

    /** Hands a saved buffer (no gradient yet) to {@code t} as its gradient; see {@link #adopt(Tensor, Tensor)}. */
    boolean adoptBuffer(Tensor buffer, Tensor t) {
        if (!unwritten(t) || buffer.size() != t.size() || buffer.offset() != 0) {
            return false;
        }
        t.setGrad(buffer.data());
        grads.put(t, Tensor.wrap(buffer.data(), 0, t.shape()));
        return true;
    }

    /** The gradient of an intermediate goes back to the pool once its producer's backward has read it. */
    void releaseGrad(Tensor t) {
        Tensor g = grads.remove(t);
        t.setGrad(null);
        if (g != null && borrowedSet.containsKey(g.data())) {
            giveBack(g.data());
        }
    }

    /** Buffers no tape entry will release: they go back when the reverse pass ends. */
    void keepUntilBackwardEnds(float[][] saved) {
        for (float[] a : saved) {
            if (a != null) {
                transients.add(a);
            }
        }
    }

    /** A tape entry's saved buffers go back to the pool; the entry keeps nulls. */
    void release(float[][] saved) {
        for (int j = 0; j < saved.length; j++) {
            if (saved[j] != null) {
                giveBack(saved[j]);
                saved[j] = null;
            }
        }
    }

    /** Gradients still held and buffers of no entry go back to the pool; outputs stay valid until close. */
    void releaseTransients() {
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            if (owned.containsKey(e.getKey())) {
                e.getKey().setGrad(null);
                giveBack(e.getValue().data());
            }
        }
        grads.clear();
        for (float[] a : transients) {
            giveBack(a);
        }
        transients.clear();
    }

    /** Everything else goes back: the outputs, which no one may read after this. */
    void close() {
        for (Tensor t : owned.keySet()) {
            t.setGrad(null);
        }
        owned.clear();
        for (float[] a : outputs) {
            giveBack(a);
        }
        outputs.clear();
        borrowedSet.clear();
    }
}

package dev.vesper.autograd.internal;

import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Shapes;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph as a tape: each recorded operation appends an entry whose closure runs its backward
 * kernels. Operations are appended after their inputs exist, so the reverse of the tape is a valid
 * order for the reverse pass. Outputs and gradients live in arrays borrowed from the pool.
 *
 * <p>Memory: an intermediate gets its gradient array only when the reverse pass first writes to it
 * (an operation whose backward kernel can overwrite writes the fresh array without clearing it;
 * one that adds clears it first), and gives it back as soon as the operation that produced the
 * intermediate has run its backward, which is the last reader: by then every consumer, recorded
 * later, has run. Buffers saved for one operation's backward go back right after it. So the
 * step's peak is the forward's outputs plus a few live gradients, not twice the outputs.
 */
public final class TapeGraph implements Graph {
    private static final float[][] NOTHING_SAVED = new float[0][];

    /** One recorded operation: its output, its backward and the buffers only that backward reads. */
    private static final class Entry {
        final Tensor out;
        final Runnable backward;
        final float[][] saved;

        Entry(Tensor out, Runnable backward, float[][] saved) {
            this.out = out;
            this.backward = backward;
            this.saved = saved;
        }
    }

    private final ComputeBackend be;
    private final BufferPool pool;
    private final boolean recording;
    private final long seed;
    private long ops;
    private final List<Entry> tape = new ArrayList<>();
    /** Tensors made by this graph, with whether they need a gradient. */
    private final IdentityHashMap<Tensor, Boolean> owned = new IdentityHashMap<>();
    /** Gradient tensors written so far: pooled ones of intermediates, views of trainable leaves' arrays. */
    private final IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
    /** Every array this graph holds from the pool (outputs, gradients, saved buffers, scratch). */
    private final IdentityHashMap<float[], Boolean> borrowedSet = new IdentityHashMap<>();
    /** Arrays holding operation outputs: valid until close. */
    private final List<float[]> outputs = new ArrayList<>();
    /** Buffers that belong to no recorded entry (loss results, saved buffers of untaped ops): released when backward ends. */
    private final List<float[]> transients = new ArrayList<>();
    private boolean closed;
    private boolean backwardDone;

    public TapeGraph(ComputeBackend backend, BufferPool pool, boolean recording, long seed) {
        this.be = backend;
        this.pool = pool;
        this.recording = recording;
        this.seed = seed;
    }

    @Override
    public boolean recording() {
        return recording;
    }

    // ---- bookkeeping ---------------------------------------------------------------------------

    private float[] take(int size, boolean zero) {
        float[] a = pool.take(size, zero);
        borrowedSet.put(a, Boolean.TRUE);
        return a;
    }

    private void giveBack(float[] a) {
        borrowedSet.remove(a);
        pool.give(a);
    }

    /** A buffer that only one operation's backward reads (statistics, a copy); handed to {@link #record}. */
    private Tensor saved(int... shape) {
        return Tensor.wrap(take(Shapes.size(shape), false), 0, shape);
    }

    /** A new output tensor; its gradient array comes later, when the reverse pass first writes it. */
    private Tensor output(boolean needsGrad, int... shape) {
        float[] a = take(Shapes.size(shape), false);
        outputs.add(a);
        Tensor t = Tensor.wrap(a, 0, shape);
        owned.put(t, needsGrad);
        return t;
    }

    private boolean needs(Tensor t) {
        if (!recording) {
            return false;
        }
        Boolean o = owned.get(t);
        return o != null ? o : t.requiresGrad();
    }

    /**
     * The gradient tensor of {@code t} for a kernel that adds into it: an intermediate's pooled one
     * (cleared when new), or a view of a leaf's own array.
     */
    private Tensor grad(Tensor t) {
        Tensor g = grads.get(t);
        if (g == null) {
            g = owned.containsKey(t) ? newGrad(t, true) : Tensor.wrap(t.grad(), 0, t.shape());
            grads.put(t, g);
        }
        return g;
    }

    private Tensor gradOrNull(Tensor t) {
        return needs(t) ? grad(t) : null;
    }

    /** Whether {@code t} is an intermediate whose gradient nothing has written yet (a kernel may overwrite it). */
    private boolean unwritten(Tensor t) {
        return owned.containsKey(t) && !grads.containsKey(t);
    }

    /** The gradient of {@code t} for a kernel that overwrites it when {@link #unwritten}, adds into it otherwise. */
    private Tensor gradToWrite(Tensor t) {
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
    private boolean adopt(Tensor from, Tensor t) {
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
    private boolean adoptBuffer(Tensor buffer, Tensor t) {
        if (!unwritten(t) || buffer.size() != t.size() || buffer.offset() != 0) {
            return false;
        }
        t.setGrad(buffer.data());
        grads.put(t, Tensor.wrap(buffer.data(), 0, t.shape()));
        return true;
    }

    /** The gradient of an intermediate goes back to the pool once its producer's backward has read it. */
    private void releaseGrad(Tensor t) {
        Tensor g = grads.remove(t);
        t.setGrad(null);
        if (g != null && borrowedSet.containsKey(g.data())) {
            giveBack(g.data());
        }
    }

    private void check(String op, Tensor... inputs) {
        if (closed) {
            throw new IllegalStateException(op + ": the graph is closed");
        }
        for (Tensor t : inputs) {
            if (t == null) {
                throw new NullPointerException(op + ": a tensor argument is null");
            }
            if (!owned.containsKey(t) && borrowedSet.containsKey(t.data())) {
                throw new IllegalArgumentException(op + ": " + t.shapeString() + " shares its array with an intermediate"
                        + " of this graph: either a view made outside the graph (its gradient would be lost; use the"
                        + " graph's operations) or a result kept from a closed graph (copy results out before close())");
            }
        }
    }

    private void record(Tensor out, Runnable backward) {
        record(out, NOTHING_SAVED, backward);
    }

    /** Tapes {@code backward} when {@code out} needs a gradient; {@code saved} goes back to the pool right after it runs. */
    private void record(Tensor out, float[][] saved, Runnable backward) {
        if (recording && owned.get(out)) {
            tape.add(new Entry(out, backward, saved));
            return;
        }
        for (float[] a : saved) {
            if (a != null) {
                transients.add(a);
            }
        }
    }

    private static float[][] arrays(Tensor... ts) {
        float[][] a = new float[ts.length][];
        for (int i = 0; i < ts.length; i++) {
            a[i] = ts[i] == null ? null : ts[i].data();
        }
        return a;
    }

    private long nextSeed() {
        long z = seed + (++ops) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 32)) * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 29);
    }

    // ---- linear algebra ------------------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, boolean ta, Tensor b, boolean tb) {
        check("matmul", a, b);
        int[] shape = Shapes.matmul(a.shape(), ta, b.shape(), tb);
        Tensor out = output(needs(a) || needs(b), shape);
        be.matmul(a, ta, b, tb, out, 0f);
        // An input's gradient that nothing has written yet is taken uncleared and written with beta 0:
        // the GEMM clears each block of it just before computing the block, on the thread that computes
        // it, instead of the pool clearing the whole array on this thread first.
        record(out, () -> {
            Tensor g = grad(out);
            if (needs(a)) {
                float beta = unwritten(a) ? 0f : 1f;
                Tensor ga = gradToWrite(a);
                if (!ta) {
                    be.matmul(g, false, b, !tb, ga, beta);
                } else {
                    be.matmul(b, tb, g, true, ga, beta);
                }
            }
            if (needs(b)) {
                if (!tb) {
                    be.matmul(a, !ta, g, false, grad(b), 1f);
                } else {
                    be.matmul(g, true, a, ta, grad(b), 1f);
                }
            }
        });
        return out;
    }

    @Override
    public Tensor linear(Tensor x, Tensor w) {
        check("linear", x, w);
        if (w.rank() != 2 || x.rank() < 2 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: x " + x.shapeString() + " and w " + w.shapeString()
                    + ": need x [..., in] (at least 2-D) and w [out, in] with the same in");
        }
        return matmul(x, false, w, true);
    }

    // ---- elementwise ---------------------------------------------------------------------------

    private static void checkBroadcast(String op, Tensor a, Tensor b) {
        if (!Shapes.isSuffix(b.shape(), a.shape())) {
            throw new IllegalArgumentException(op + ": " + a.shapeString() + " and " + b.shapeString()
                    + ": the second shape must equal the last dimensions of the first");
        }
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        check("add", a, b);
        if (a.rank() < b.rank() && Shapes.isSuffix(a.shape(), b.shape())) {
            return add(b, a);
        }
        checkBroadcast("add", a, b);
        Tensor out = output(needs(a) || needs(b), a.shape());
        be.add(a, b, out);
        record(out, () -> {
            Tensor g = grad(out);
            if (needs(b)) {
                if (unwritten(b) && b.size() == g.size()) {
                    be.scale(g, 1f, gradToWrite(b));  // a copy: nothing to clear first
                } else {
                    be.accumulate(g, 1f, grad(b));
                }
            }
            // a has out's shape: out's gradient array, dead after this, can simply become a's
            if (needs(a) && !adopt(out, a)) {
                be.accumulate(g, 1f, grad(a));
            }
        });
        return out;
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        check("mul", a, b);
        if (a.rank() < b.rank() && Shapes.isSuffix(a.shape(), b.shape())) {
            return mul(b, a);
        }
        checkBroadcast("mul", a, b);
        Tensor out = output(needs(a) || needs(b), a.shape());
        be.mul(a, b, out);
        record(out, () -> be.mulBackward(grad(out), a, b, gradOrNull(a), gradOrNull(b)));
        return out;
    }

    @Override
    public Tensor scale(Tensor a, float s) {
        check("scale", a);
        Tensor out = output(needs(a), a.shape());
        be.scale(a, s, out);
        record(out, () -> be.accumulate(grad(out), s, grad(a)));
        return out;
    }

    @Override
    public Tensor sum(Tensor a) {
        check("sum", a);
        Tensor out = output(needs(a), 1);
        be.sum(a, out);
        record(out, () -> be.accumulate(grad(out), 1f, grad(a)));
        return out;
    }

    @Override
    public Tensor mean(Tensor a) {
        check("mean", a);
        if (a.size() == 0) {
            throw new IllegalArgumentException("mean: " + a.shapeString() + " has no elements");
        }
        Tensor out = output(needs(a), 1);
        be.sum(a, out);
        float inv = 1f / a.size();
        out.set(0, (float) ((double) out.get(0) / a.size()));
        record(out, () -> be.accumulate(grad(out), inv, grad(a)));
        return out;
    }

    // ---- embeddings, normalisation, heads -----------------------------------------------------

    @Override
    public Tensor embedding(Tensor table, IntTensor ids) {
        check("embedding", table);
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: table " + table.shapeString() + " must be [V,D]");
        }
        int[] shape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = table.dim(1);
        Tensor out = output(needs(table), shape);
        be.embedding(table, ids, out);
        record(out, () -> be.embeddingBackward(grad(out), ids, grad(table)));
        return out;
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        check("layerNorm", x, weight, bias);
        int c = x.dim(-1);
        if (weight.size() != c || bias.size() != c) {
            throw new IllegalArgumentException("layerNorm: x " + x.shapeString() + " with weight " + weight.shapeString()
                    + " and bias " + bias.shapeString() + ": both need " + c + " values");
        }
        boolean g = needs(x) || needs(weight) || needs(bias);
        Tensor out = output(g, x.shape());
        int rows = x.size() / c;
        Tensor mean = g ? saved(rows) : null;
        Tensor rstd = g ? saved(rows) : null;
        be.layerNorm(x, weight, bias, eps, out, mean, rstd);
        record(out, arrays(mean, rstd), () -> be.layerNormBackward(grad(out), x, weight, mean, rstd,
                gradOrNull(x), gradOrNull(weight), gradOrNull(bias)));
        return out;
    }

    @Override
    public Tensor splitHeads(Tensor x, int heads) {
        check("splitHeads", x);
        if (x.rank() != 3 || heads < 1 || x.dim(2) % heads != 0) {
            throw new IllegalArgumentException("splitHeads: " + x.shapeString() + " into " + heads
                    + " heads: need [B,T,D] with D divisible by the number of heads");
        }
        Tensor out = output(needs(x), x.dim(0), heads, x.dim(1), x.dim(2) / heads);
        be.splitHeads(x, out, false);
        record(out, () -> {
            boolean add = !unwritten(x);
            be.mergeHeads(grad(out), gradToWrite(x), add);
        });
        return out;
    }

    @Override
    public Tensor mergeHeads(Tensor x) {
        check("mergeHeads", x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("mergeHeads: " + x.shapeString() + " is not [B,H,T,hd]");
        }
        Tensor out = output(needs(x), x.dim(0), x.dim(2), x.dim(1) * x.dim(3));
        be.mergeHeads(x, out, false);
        record(out, () -> {
            boolean add = !unwritten(x);
            be.splitHeads(grad(out), gradToWrite(x), add);
        });
        return out;
    }

    @Override
    public Tensor rope(Tensor x, int positionOffset, float theta) {
        check("rope", x);
        Tensor out = output(needs(x), x.shape());
        be.rope(x, positionOffset, theta, out);
        record(out, () -> be.ropeBackward(grad(out), positionOffset, theta, grad(x)));
        return out;
    }

    // ---- attention, softmax, dropout -----------------------------------------------------------

    @Override
    public Tensor causalAttention(Tensor q, Tensor k, Tensor v, float dropout) {
        check("causalAttention", q, k, v);
        if (dropout < 0f || dropout >= 1f) {
            throw new IllegalArgumentException("causalAttention: dropout " + dropout + " is outside [0,1)");
        }
        boolean g = needs(q) || needs(k) || needs(v);
        float p = recording ? dropout : 0f;
        long s = p > 0f ? nextSeed() : 0L;
        Tensor out = output(g, q.shape());
        Tensor lse = g ? saved(q.dim(0), q.dim(1), q.dim(2)) : null;
        be.attention(q, k, v, p, s, out, lse);
        record(out, arrays(lse), () -> be.attentionBackward(q, k, v, out, lse, grad(out), p, s,
                gradOrNull(q), gradOrNull(k), gradOrNull(v)));
        return out;
    }

    @Override
    public Tensor softmax(Tensor x) {
        check("softmax", x);
        Tensor out = output(needs(x), x.shape());
        be.softmax(x, out);
        record(out, () -> be.softmaxBackward(out, grad(out), grad(x)));
        return out;
    }

    @Override
    public Tensor dropout(Tensor x, float p) {
        check("dropout", x);
        if (p < 0f || p >= 1f) {
            throw new IllegalArgumentException("dropout: probability " + p + " is outside [0,1)");
        }
        if (!recording || p == 0f) {
            return x;
        }
        long s = nextSeed();
        Tensor out = output(needs(x), x.shape());
        be.dropout(x, p, s, out);
        record(out, () -> be.dropoutBackward(grad(out), p, s, grad(x)));
        return out;
    }

    // ---- activation, gating, loss --------------------------------------------------------------

    @Override
    public Tensor activation(Tensor x, Activation activation, Map<String, Double> options) {
        check("activation", x);
        Map<String, Double> opts = options == null ? Map.of() : options;
        Tensor copy = null;
        if (x.offset() != 0) {
            // the Activation contract reads rows from index 0: give it a copy that starts there
            copy = saved(x.shape());
            copy.copyFrom(x);
        }
        Tensor src = copy == null ? x : copy;
        Tensor out = output(needs(x), x.shape());
        be.activation(activation, src, out, opts);
        record(out, arrays(copy), () -> {
            if (unwritten(x)) {
                // the activation's backward overwrites dx: write x's fresh gradient directly
                be.activationBackward(activation, src, grad(out), gradToWrite(x), opts);
                return;
            }
            float[] tmp = pool.take(x.size(), false);
            Tensor dx = Tensor.wrap(tmp, 0, x.shape());
            be.activationBackward(activation, src, grad(out), dx, opts);
            be.accumulate(dx, 1f, grad(x));
            pool.give(tmp);
        });
        return out;
    }

    @Override
    public Tensor topK(Tensor x, Tensor bias, int k) {
        check("topK", x, bias);
        Tensor out = output(needs(x), x.shape());
        be.topK(x, bias, k, out);
        record(out, () -> be.topKBackward(x, bias, k, grad(out), grad(x)));
        return out;
    }

    @Override
    public CrossEntropy crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex) {
        check("crossEntropy", logits);
        int[] ls = logits.shape();
        if (ls.length < 1 || !Arrays.equals(Arrays.copyOf(ls, ls.length - 1), targets.shape())
                && targets.size() * logits.dim(-1) != logits.size()) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + ": need logits [..., V] and targets [...]");
        }
        boolean g = needs(logits);
        float[] result = new float[3];
        Tensor dLogits = g ? saved(ls) : null;
        be.crossEntropy(logits, targets, ignoreIndex, Tensor.wrap(result, 0, new int[] {3}), dLogits);
        Tensor loss = output(g, 1);
        loss.set(0, result[0]);
        float[][] keep = arrays(dLogits);
        record(loss, keep, () -> {
            float s = grad(loss).get(0);
            if (adoptBuffer(dLogits, logits)) {
                // the usual case: the saved gradient, scaled in place, becomes the logits' gradient
                keep[0] = null;
                if (s != 1f) {
                    be.scale(dLogits, s, dLogits);
                }
                return;
            }
            be.accumulate(dLogits, s, grad(logits));
        });
        return new CrossEntropy(loss, result[1], (int) result[2]);
    }

    // ---- reverse pass and release --------------------------------------------------------------

    @Override
    public void backward(Tensor scalar) {
        check("backward", scalar);
        if (!recording) {
            throw new IllegalStateException("backward: this graph records nothing (noGrad)");
        }
        if (scalar.size() != 1) {
            throw new IllegalArgumentException("backward: needs a scalar [1], got " + scalar.shapeString());
        }
        if (!owned.containsKey(scalar)) {
            throw new IllegalArgumentException("backward: " + scalar.shapeString() + " was not made by this graph");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward: already ran on this graph");
        }
        backwardDone = true;
        if (!owned.get(scalar)) {
            return;  // nothing trainable contributed to it
        }
        grad(scalar).set(0, 1f);
        for (int i = tape.size() - 1; i >= 0; i--) {
            Entry e = tape.get(i);
            // runs even when no gradient reached e.out (it then sees zeros), as it always did, so that
            // every leaf on the tape gets its gradient array whichever branches reach the loss
            e.backward.run();
            releaseGrad(e.out);
            releaseSaved(e);
            tape.set(i, null);
        }
        tape.clear();
        releaseTransients();
    }

    private void releaseSaved(Entry e) {
        for (int j = 0; j < e.saved.length; j++) {
            if (e.saved[j] != null) {
                giveBack(e.saved[j]);
                e.saved[j] = null;
            }
        }
    }

    /** Gradients still held and buffers of no entry go back to the pool; outputs stay valid until close. */
    private void releaseTransients() {
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseTransients();
        for (Entry e : tape) {
            if (e != null) {
                releaseSaved(e);
            }
        }
        tape.clear();
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

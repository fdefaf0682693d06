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
import java.util.List;
import java.util.Map;

/**
 * A graph as a tape: each recorded operation appends an entry whose closure runs its backward
 * kernels. Operations are appended after their inputs exist, so the reverse of the tape is a valid
 * order for the reverse pass. Outputs and gradients live in arrays borrowed from the pool, which
 * {@link GraphMemory} keeps account of.
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
    private final GraphMemory mem;
    private final boolean recording;
    private final long seed;
    private long ops;
    private final List<Entry> tape = new ArrayList<>();
    private boolean closed;
    private boolean backwardDone;

    public TapeGraph(ComputeBackend backend, BufferPool pool, boolean recording, long seed) {
        this.be = backend;
        this.pool = pool;
        this.mem = new GraphMemory(pool);
        this.recording = recording;
        this.seed = seed;
    }

    @Override
    public boolean recording() {
        return recording;
    }

    // ---- bookkeeping ---------------------------------------------------------------------------

    private boolean needs(Tensor t) {
        return recording && mem.needsGrad(t);
    }

    private Tensor gradOrNull(Tensor t) {
        return needs(t) ? mem.grad(t) : null;
    }

    private void check(String op, Tensor... inputs) {
        if (closed) {
            throw new IllegalStateException(op + ": the graph is closed");
        }
        for (Tensor t : inputs) {
            if (t == null) {
                throw new NullPointerException(op + ": a tensor argument is null");
            }
            if (mem.sharesAnIntermediate(t)) {
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
        if (recording && mem.needsGrad(out)) {
            tape.add(new Entry(out, backward, saved));
            return;
        }
        mem.keepUntilBackwardEnds(saved);
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
        Tensor out = mem.output(needs(a) || needs(b), shape);
        be.matmul(a, ta, b, tb, out, 0f);
        // An input's gradient that nothing has written yet is taken uncleared and written with beta 0:
        // the GEMM clears each block of it just before computing the block, on the thread that computes
        // it, instead of the pool clearing the whole array on this thread first.
        record(out, () -> {
            Tensor g = mem.grad(out);
            if (needs(a)) {
                float beta = mem.unwritten(a) ? 0f : 1f;
                Tensor ga = mem.gradToWrite(a);
                if (!ta) {
                    be.matmul(g, false, b, !tb, ga, beta);
                } else {
                    be.matmul(b, tb, g, true, ga, beta);
                }
            }
            if (needs(b)) {
                if (!tb) {
                    be.matmul(a, !ta, g, false, mem.grad(b), 1f);
                } else {
                    be.matmul(g, true, a, ta, mem.grad(b), 1f);
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
        Tensor out = mem.output(needs(a) || needs(b), a.shape());
        be.add(a, b, out);
        record(out, () -> {
            Tensor g = mem.grad(out);
            if (needs(b)) {
                if (mem.unwritten(b) && b.size() == g.size()) {
                    be.scale(g, 1f, mem.gradToWrite(b));  // a copy: nothing to clear first
                } else {
                    be.accumulate(g, 1f, mem.grad(b));
                }
            }
            // a has out's shape: out's gradient array, dead after this, can simply become a's
            if (needs(a) && !mem.adopt(out, a)) {
                be.accumulate(g, 1f, mem.grad(a));
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
        Tensor out = mem.output(needs(a) || needs(b), a.shape());
        be.mul(a, b, out);
        record(out, () -> be.mulBackward(mem.grad(out), a, b, gradOrNull(a), gradOrNull(b)));
        return out;
    }

    @Override
    public Tensor scale(Tensor a, float s) {
        check("scale", a);
        Tensor out = mem.output(needs(a), a.shape());
        be.scale(a, s, out);
        record(out, () -> be.accumulate(mem.grad(out), s, mem.grad(a)));
        return out;
    }

    @Override
    public Tensor sum(Tensor a) {
        check("sum", a);
        Tensor out = mem.output(needs(a), 1);
        be.sum(a, out);
        record(out, () -> be.accumulate(mem.grad(out), 1f, mem.grad(a)));
        return out;
    }

    @Override
    public Tensor mean(Tensor a) {
        check("mean", a);
        if (a.size() == 0) {
            throw new IllegalArgumentException("mean: " + a.shapeString() + " has no elements");
        }
        Tensor out = mem.output(needs(a), 1);
        be.sum(a, out);
        float inv = 1f / a.size();
        out.set(0, (float) ((double) out.get(0) / a.size()));
        record(out, () -> be.accumulate(mem.grad(out), inv, mem.grad(a)));
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
        Tensor out = mem.output(needs(table), shape);
        be.embedding(table, ids, out);
        record(out, () -> be.embeddingBackward(mem.grad(out), ids, mem.grad(table)));
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
        Tensor out = mem.output(g, x.shape());
        int rows = x.size() / c;
        Tensor mean = g ? mem.saved(rows) : null;
        Tensor rstd = g ? mem.saved(rows) : null;
        be.layerNorm(x, weight, bias, eps, out, mean, rstd);
        record(out, arrays(mean, rstd), () -> be.layerNormBackward(mem.grad(out), x, weight, mean, rstd,
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
        Tensor out = mem.output(needs(x), x.dim(0), heads, x.dim(1), x.dim(2) / heads);
        be.splitHeads(x, out, false);
        record(out, () -> {
            boolean add = !mem.unwritten(x);
            be.mergeHeads(mem.grad(out), mem.gradToWrite(x), add);
        });
        return out;
    }

    @Override
    public Tensor mergeHeads(Tensor x) {
        check("mergeHeads", x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("mergeHeads: " + x.shapeString() + " is not [B,H,T,hd]");
        }
        Tensor out = mem.output(needs(x), x.dim(0), x.dim(2), x.dim(1) * x.dim(3));
        be.mergeHeads(x, out, false);
        record(out, () -> {
            boolean add = !mem.unwritten(x);
            be.splitHeads(mem.grad(out), mem.gradToWrite(x), add);
        });
        return out;
    }

    @Override
    public Tensor rope(Tensor x, int positionOffset, float theta) {
        check("rope", x);
        Tensor out = mem.output(needs(x), x.shape());
        be.rope(x, positionOffset, theta, out);
        record(out, () -> be.ropeBackward(mem.grad(out), positionOffset, theta, mem.grad(x)));
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
        Tensor out = mem.output(g, q.shape());
        Tensor lse = g ? mem.saved(q.dim(0), q.dim(1), q.dim(2)) : null;
        be.attention(q, k, v, p, s, out, lse);
        record(out, arrays(lse), () -> be.attentionBackward(q, k, v, out, lse, mem.grad(out), p, s,
                gradOrNull(q), gradOrNull(k), gradOrNull(v)));
        return out;
    }

    @Override
    public Tensor softmax(Tensor x) {
        check("softmax", x);
        Tensor out = mem.output(needs(x), x.shape());
        be.softmax(x, out);
        record(out, () -> be.softmaxBackward(out, mem.grad(out), mem.grad(x)));
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
        Tensor out = mem.output(needs(x), x.shape());
        be.dropout(x, p, s, out);
        record(out, () -> be.dropoutBackward(mem.grad(out), p, s, mem.grad(x)));
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
            copy = mem.saved(x.shape());
            copy.copyFrom(x);
        }
        Tensor src = copy == null ? x : copy;
        Tensor out = mem.output(needs(x), x.shape());
        be.activation(activation, src, out, opts);
        record(out, arrays(copy), () -> {
            if (mem.unwritten(x)) {
                // the activation's backward overwrites dx: write x's fresh gradient directly
                be.activationBackward(activation, src, mem.grad(out), mem.gradToWrite(x), opts);
                return;
            }
            float[] tmp = pool.take(x.size(), false);
            Tensor dx = Tensor.wrap(tmp, 0, x.shape());
            be.activationBackward(activation, src, mem.grad(out), dx, opts);
            be.accumulate(dx, 1f, mem.grad(x));
            pool.give(tmp);
        });
        return out;
    }

    @Override
    public Tensor topK(Tensor x, Tensor bias, int k) {
        check("topK", x, bias);
        Tensor out = mem.output(needs(x), x.shape());
        be.topK(x, bias, k, out);
        record(out, () -> be.topKBackward(x, bias, k, mem.grad(out), mem.grad(x)));
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
        Tensor dLogits = g ? mem.saved(ls) : null;
        be.crossEntropy(logits, targets, ignoreIndex, Tensor.wrap(result, 0, new int[] {3}), dLogits);
        Tensor loss = mem.output(g, 1);
        loss.set(0, result[0]);
        float[][] keep = arrays(dLogits);
        record(loss, keep, () -> {
            float s = mem.grad(loss).get(0);
            if (mem.adoptBuffer(dLogits, logits)) {
                // the usual case: the saved gradient, scaled in place, becomes the logits' gradient
                keep[0] = null;
                if (s != 1f) {
                    be.scale(dLogits, s, dLogits);
                }
                return;
            }
            be.accumulate(dLogits, s, mem.grad(logits));
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
        if (!mem.made(scalar)) {
            throw new IllegalArgumentException("backward: " + scalar.shapeString() + " was not made by this graph");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward: already ran on this graph");
        }
        backwardDone = true;
        if (!mem.needsGrad(scalar)) {
            return;  // nothing trainable contributed to it
        }
        mem.grad(scalar).set(0, 1f);
        for (int i = tape.size() - 1; i >= 0; i--) {
            Entry e = tape.get(i);
            // runs even when no gradient reached e.out (it then sees zeros), as it always did, so that
            // every leaf on the tape gets its gradient array whichever branches reach the loss
            e.backward.run();
            mem.releaseGrad(e.out);
            mem.release(e.saved);
            tape.set(i, null);
        }
        tape.clear();
        mem.releaseTransients();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        mem.releaseTransients();
        for (Entry e : tape) {
            if (e != null) {
                mem.release(e.saved);
            }
        }
        tape.clear();
        mem.close();
    }
}

package dev.vesper.model.internal;

import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.model.internal.RowTeam.RowTask;
import java.util.Map;

/**
 * Batch-1 decoding with a KV cache: each new token costs one pass of matrix-vector products over
 * the weights, and the keys and values of earlier positions are kept, never recomputed. Every buffer
 * is allocated once per decoder and reused by later tokens and later calls.
 *
 * <p>This is an inference path only, computed here from the live weight tensors; training goes
 * through the autograd graph. Masked adapters are folded into decoding copies of W1/W2 by
 * {@link #prepare()}, FlyLoRA runs its routing per token.
 */
final class Decoder {
    private final ModelConfig c;
    private final int layers;
    private final int d;
    private final int heads;
    private final int hd;
    private final int f;
    private final int v;
    private final int ctx;
    private final float eps;

    private final Tensor emb;
    private final Tensor head;
    private final Tensor[][] w;
    private final FfnAdapter[][] adapters;
    private final float[][][] merged;

    private final float[] x;
    private final float[] xn;
    private final float[] q;
    private final float[] k;
    private final float[] val;
    private final float[] att;
    private final float[] scores;
    private final float[] u;
    private final float[] act;
    private final float[] ffn;
    private final float[] logits;
    private final float[] hidden;
    private final Tensor hiddenTensor;
    private final float[] scratch;
    private final float[][] keys;
    private final float[][] values;
    private final float[] cos;
    private final float[] sin;
    private final Gemv gemv = new Gemv();
    private static final int PROBE_STEPS = 4;
    private static final int CHOSEN_STEPS = 120;
    /** The helper this generation may use, and the one the current step uses (null: this thread only). */
    private RowTeam granted;
    private RowTeam team;
    private int phase;
    private int left;
    private long withNanos;
    private long withoutNanos;
    private int length;

    /** Indices into {@link #w}'s rows. */
    private static final int ATTN_W = 0;
    private static final int ATTN_B = 1;
    private static final int WQ = 2;
    private static final int WK = 3;
    private static final int WV = 4;
    private static final int WO = 5;
    private static final int FFN_W = 6;
    private static final int FFN_B = 7;
    private static final int W1 = 8;
    private static final int W2 = 9;

    Decoder(ModelConfig c, Map<String, Tensor> base, FfnAdapter[][] adapters) {
        this.c = c;
        layers = c.layers();
        d = c.dModel();
        heads = c.heads();
        hd = c.headDim();
        f = c.dFf();
        v = c.vocabSize();
        ctx = c.context();
        eps = (float) c.normEps();
        emb = base.get("tok_embeddings.weight");
        head = c.tieEmbeddings() ? emb : base.get("lm_head.weight");
        w = new Tensor[layers + 1][];
        String[] names = {"attn_norm.weight", "attn_norm.bias", "attn.wq.weight", "attn.wk.weight", "attn.wv.weight",
            "attn.wo.weight", "ffn_norm.weight", "ffn_norm.bias", "ffn.w1.weight", "ffn.w2.weight"};
        for (int l = 0; l < layers; l++) {
            w[l] = new Tensor[names.length];
            for (int i = 0; i < names.length; i++) {
                w[l][i] = base.get("layers." + l + "." + names[i]);
            }
        }
        w[layers] = new Tensor[] {base.get("norm.weight"), base.get("norm.bias")};
        this.adapters = adapters;
        merged = new float[layers][][];
        x = new float[d];
        xn = new float[Math.max(d, f)];
        q = new float[d];
        k = new float[d];
        val = new float[d];
        att = new float[d];
        scores = new float[ctx];
        u = new float[f];
        act = new float[f];
        ffn = new float[d];
        logits = new float[v];
        hidden = new float[d];
        hiddenTensor = Tensor.wrap(hidden, new int[] {1, d});
        scratch = new float[2 * (c.hasAdapter() ? c.loraRank() : 1)];
        keys = new float[layers][heads * ctx * hd];
        values = new float[layers][heads * ctx * hd];
        int half = hd / 2;
        cos = new float[ctx * half];
        sin = new float[ctx * half];
        for (int t = 0; t < ctx; t++) {
            for (int j = 0; j < half; j++) {
                double angle = t * Math.pow(c.ropeTheta(), -2.0 * j / hd);
                cos[t * half + j] = (float) Math.cos(angle);
                sin[t * half + j] = (float) Math.sin(angle);
            }
        }
    }

    /** Starts a new sequence and folds the current masked adapters into the decoding copies of W1/W2. */
    void prepare() {
        length = 0;
        for (int l = 0; l < layers; l++) {
            if (adapters[l] != null && adapters[l][0] instanceof MaskedAdapter) {
                if (merged[l] == null) {
                    merged[l] = new float[][] {new float[f * d], new float[d * f]};
                }
                for (int i = 0; i < 2; i++) {
                    Tensor base = w[l][W1 + i];
                    System.arraycopy(base.data(), base.offset(), merged[l][i], 0, base.size());
                    fold((MaskedAdapter) adapters[l][i], merged[l][i]);
                }
            }
        }
    }

    private static void fold(MaskedAdapter m, float[] dst) {
        int in = m.in();
        for (int o = 0; o < m.out(); o++) {
            for (int i = 0; i < in; i++) {
                dst[o * in + i] += (float) m.delta(o, i);
            }
        }
    }

    int length() {
        return length;
    }

    int context() {
        return ctx;
    }

    /** The logits of the last step that asked for them. */
    float[] logits() {
        return logits;
    }

    /** The final hidden state (after the last LayerNorm) of the last step. */
    float[] hidden() {
        return hidden;
    }

    /** Copies one layer's prompt keys (after RoPE) and values, {@code [1, H, T, hd]}, into the empty cache. */
    void storeKeysValues(int layer, Tensor k, Tensor v) {
        int t = k.dim(2);
        for (int h = 0; h < heads; h++) {
            System.arraycopy(k.data(), k.offset() + h * t * hd, keys[layer], h * ctx * hd, t * hd);
            System.arraycopy(v.data(), v.offset() + h * t * hd, values[layer], h * ctx * hd, t * hd);
        }
    }

    /**
     * Marks {@code t} positions as filled by a batched prefill and takes the last one's hidden state;
     * returns it as a {@code [1, D]} tensor over the decoder's own buffer.
     */
    Tensor setPrefilled(int t, float[] data, int offset) {
        System.arraycopy(data, offset, hidden, 0, d);
        length = t;
        return hiddenTensor;
    }

    void setLogits(Tensor lastLogits) {
        System.arraycopy(lastLogits.data(), lastLogits.offset(), logits, 0, v);
    }

    /** Appends one token at the next position; computes the logits only when asked (the prompt needs just the last). */
    void step(int token, boolean wantLogits, Activation activation, Map<String, Double> options) {
        if (length >= ctx) {
            throw new IllegalStateException("KV cache full at " + ctx + " positions");
        }
        int pos = length;
        System.arraycopy(emb.data(), emb.offset() + token * d, x, 0, d);
        for (int l = 0; l < layers; l++) {
            Tensor[] lw = w[l];
            layerNorm(x, lw[ATTN_W], lw[ATTN_B], xn);
            gemv.start(d, xn).add(lw[WQ], q).add(lw[WK], k).add(lw[WV], val).run(team, d);
            rope(q, pos);
            rope(k, pos);
            attend(l, pos);
            gemv.start(d, att).add(lw[WO], ffn).run(team, d);
            add(x, ffn, d);
            layerNorm(x, lw[FFN_W], lw[FFN_B], xn);
            ffnLinear(l, 0, xn, u, f, d);
            activation.forward(u, act, f, 0, 1, options);
            ffnLinear(l, 1, act, ffn, d, f);
            add(x, ffn, d);
        }
        layerNorm(x, w[layers][0], w[layers][1], hidden);
        length++;
        if (wantLogits) {
            gemv.start(d, hidden).add(head, logits).run(team, v);
        }
    }

    private void ffnLinear(int l, int which, float[] in, float[] out, int rows, int cols) {
        FfnAdapter a = adapters[l] == null ? null : adapters[l][which];
        gemv.start(cols, in);
        if (a instanceof MaskedAdapter) {
            gemv.add(merged[l][which], 0, out).run(team, rows);
            return;
        }
        gemv.add(w[l][W1 + which], out).run(team, rows);
        if (a != null) {
            a.addDelta(in, 0, out, scratch);
        }
    }

    /** Writes this position's key and value into the cache and attends over positions 0..pos. */
    private void attend(int l, int pos) {
        float[] kc = keys[l];
        float[] vc = values[l];
        float scale = (float) (1 / Math.sqrt(hd));
        for (int h = 0; h < heads; h++) {
            int base = h * ctx * hd;
            System.arraycopy(k, h * hd, kc, base + pos * hd, hd);
            System.arraycopy(val, h * hd, vc, base + pos * hd, hd);
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t <= pos; t++) {
                float s = Kernels.dot(q, h * hd, kc, base + t * hd, hd) * scale;
                scores[t] = s;
                max = Math.max(max, s);
            }
            float inv = 1 / Kernels.expShift(scores, pos + 1, max);
            java.util.Arrays.fill(att, h * hd, (h + 1) * hd, 0f);
            for (int t = 0; t <= pos; t++) {
                Kernels.axpy(scores[t] * inv, vc, base + t * hd, att, h * hd, hd);
            }
        }
    }

    /** Rotate-half RoPE on every head of {@code a} at position {@code pos}. */
    private void rope(float[] a, int pos) {
        int half = hd / 2;
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int o = h * hd;
            for (int j = 0; j < half; j++) {
                float lo = a[o + j];
                float hi = a[o + j + half];
                float cs = cos[t + j];
                float sn = sin[t + j];
                a[o + j] = lo * cs - hi * sn;
                a[o + j + half] = hi * cs + lo * sn;
            }
        }
    }

    private void layerNorm(float[] in, Tensor weight, Tensor bias, float[] out) {
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += in[i];
        }
        mean /= d;
        double var = 0;
        for (int i = 0; i < d; i++) {
            double z = in[i] - mean;
            var += z * z;
        }
        var /= d;
        float inv = (float) (1 / Math.sqrt(var + eps));
        float m = (float) mean;
        float[] wd = weight.data();
        float[] bd = bias.data();
        int wo = weight.offset();
        int bo = bias.offset();
        for (int i = 0; i < d; i++) {
            out[i] = (in[i] - m) * inv * wd[wo + i] + bd[bo + i];
        }
    }

    /** Uses the JVM's decoding helper thread for the products of this generation, when it is free. */
    void useTeam(RowTeam t) {
        granted = t;
        team = t;
        phase = 0;
        left = PROBE_STEPS;
        withNanos = 0;
        withoutNanos = 0;
    }

    /**
     * Feeds one step's time to the choice between one and two threads. On a machine that other
     * processes share, the helper can cost more than it saves, so the decoder keeps measuring: a few
     * steps with the helper, a few without, then a longer stretch with the faster, and again.
     */
    void timed(long nanos) {
        if (granted == null) {
            return;
        }
        if (phase == 0) {
            withNanos += nanos;
            if (--left == 0) {
                phase = 1;
                left = PROBE_STEPS;
                team = null;
            }
        } else if (phase == 1) {
            withoutNanos += nanos;
            if (--left == 0) {
                phase = 2;
                left = CHOSEN_STEPS;
                team = withNanos <= withoutNanos ? granted : null;
            }
        } else if (--left == 0) {
            phase = 0;
            left = PROBE_STEPS;
            withNanos = 0;
            withoutNanos = 0;
            team = granted;
        }
    }

    /**
     * Up to three products {@code y = W·x} over the same input and row count, as one task that the
     * row team can split; reused for every product, so decoding allocates nothing per token.
     */
    private static final class Gemv implements RowTask {
        /** Below this many multiply-adds, handing half to the helper costs more than it saves. */
        private static final int SPLIT_WORK = 32 * 1024;
        private final float[][] w = new float[3][];
        private final int[] wo = new int[3];
        private final float[][] y = new float[3][];
        private int count;
        private int cols;
        private float[] x;

        Gemv start(int cols, float[] x) {
            this.cols = cols;
            this.x = x;
            count = 0;
            return this;
        }

        Gemv add(Tensor weight, float[] out) {
            return add(weight.data(), weight.offset(), out);
        }

        Gemv add(float[] weight, int offset, float[] out) {
            w[count] = weight;
            wo[count] = offset;
            y[count++] = out;
            return this;
        }

        void run(RowTeam team, int rows) {
            if (team != null && (long) rows * cols * count >= SPLIT_WORK) {
                team.run(this, rows);
            } else {
                run(0, rows);
            }
        }

        @Override
        public void run(int from, int to) {
            for (int i = 0; i < count; i++) {
                Kernels.gemv(w[i], wo[i], cols, x, 0, y[i], 0, from, to);
            }
        }
    }

    private static void add(float[] acc, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += delta[i];
        }
    }

    ModelConfig config() {
        return c;
    }
}

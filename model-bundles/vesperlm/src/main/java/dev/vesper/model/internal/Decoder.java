package dev.vesper.model.internal;

import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.model.internal.RowTeam.RowTask;
import java.util.Map;

/**
 * Batch-1 decoding with a KV cache: each new token costs one pass of matrix-vector products over
 * the weights, and the keys and values of earlier positions are kept, never recomputed. A prompt runs
 * through the same code in blocks of up to {@link #BLOCK} tokens, each weight row read once per block;
 * every output is the same dot product over the same inputs as when the tokens go one at a time, so a
 * prompt prefilled in blocks gives the bits of one stepped token by token. Every buffer is allocated once
 * per decoder and reused by later tokens and later calls.
 *
 * <p>This is an inference path only, computed here from the live weight tensors; training goes
 * through the autograd graph. Masked adapters are folded into decoding copies of W1/W2 by
 * {@link #prepare()}, FlyLoRA runs its routing per token.
 */
final class Decoder {
    /** Prompt tokens run together; the block buffers hold this many rows. */
    static final int BLOCK = 16;

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

    /** Row t of each block buffer belongs to position {@code start + t}. */
    private final float[] x;
    private final float[] xn;
    private final float[] q;
    private final float[] k;
    private final float[] val;
    private final float[] att;
    private final float[] proj;
    private final float[] u;
    private final float[] act;
    private final float[] scores;
    private final float[] logits;
    private final float[] hidden;
    private final float[] scratch;
    private final float[][] keys;
    private final float[][] values;
    private final float[] cos;
    private final float[] sin;
    private final Products products = new Products();
    private final Attention attention = new Attention();
    /** Whether this generation's steps use the helper thread. */
    private HelperTrial helper = new HelperTrial(null);
    private int length;
    /** The current block: its first position and its token count. */
    private int start;
    private int n;

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
        x = new float[BLOCK * d];
        xn = new float[BLOCK * d];
        q = new float[BLOCK * d];
        k = new float[BLOCK * d];
        val = new float[BLOCK * d];
        att = new float[BLOCK * d];
        proj = new float[BLOCK * d];
        u = new float[BLOCK * f];
        act = new float[BLOCK * f];
        scores = new float[heads * ctx];
        logits = new float[v];
        hidden = new float[d];
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

    /**
     * Appends {@code tokens[from, from + count)} at the next positions, {@code count <= BLOCK}; computes
     * the logits of the last one only when asked (a prompt needs just its last block's).
     */
    void run(int[] tokens, int from, int count, boolean wantLogits, Activation activation, Map<String, Double> options) {
        if (count < 1 || count > BLOCK) {
            throw new IllegalArgumentException("a decoder block holds 1 to " + BLOCK + " tokens, got " + count);
        }
        if (length + count > ctx) {
            throw new IllegalStateException("KV cache full at " + ctx + " positions");
        }
        start = length;
        n = count;
        for (int t = 0; t < n; t++) {
            System.arraycopy(emb.data(), emb.offset() + tokens[from + t] * d, x, t * d, d);
        }
        for (int l = 0; l < layers; l++) {
            layer(l, activation, options);
        }
        length += n;
        layerNorm(x, (n - 1) * d, w[layers][0], w[layers][1], hidden, 0);
        if (wantLogits) {
            products.start(hidden, d, 1).add(head, logits).run(helper.team(), v);
        }
    }

    private void layer(int l, Activation activation, Map<String, Double> options) {
        Tensor[] lw = w[l];
        layerNorms(lw[ATTN_W], lw[ATTN_B]);
        products.start(xn, d, n).add(lw[WQ], q).add(lw[WK], k).add(lw[WV], val).run(helper.team(), d);
        for (int t = 0; t < n; t++) {
            rope(q, t * d, start + t);
            rope(k, t * d, start + t);
        }
        attention.attend(l);
        products.start(att, d, n).add(lw[WO], proj).run(helper.team(), d);
        add(x, proj, n * d);
        layerNorms(lw[FFN_W], lw[FFN_B]);
        ffnLinear(l, 0, xn, u, f, d);
        activation.forward(u, act, f, 0, n, options);
        ffnLinear(l, 1, act, proj, d, f);
        add(x, proj, n * d);
    }

    /** {@code xn = LN(x)} row by row over the block. */
    private void layerNorms(Tensor weight, Tensor bias) {
        for (int t = 0; t < n; t++) {
            layerNorm(x, t * d, weight, bias, xn, t * d);
        }
    }

    private void ffnLinear(int l, int which, float[] in, float[] out, int rows, int cols) {
        FfnAdapter a = adapters[l] == null ? null : adapters[l][which];
        products.start(in, cols, n);
        if (a instanceof MaskedAdapter) {
            products.add(merged[l][which], 0, out).run(helper.team(), rows);
            return;
        }
        products.add(w[l][W1 + which], out).run(helper.team(), rows);
        if (a instanceof FlyLoraAdapter) {
            for (int t = 0; t < n; t++) {
                ((FlyLoraAdapter) a).addDelta(in, t * cols, out, t * rows, scratch);
            }
        }
    }

    /**
     * For each token of the block in order: writes its keys and values into layer {@code l}'s cache and
     * attends over positions 0..its own. The heads are independent, so the row team may split them.
     */
    private final class Attention implements RowTask {
        /** Below this many query-key pairs per head, splitting the heads costs more than it saves. */
        private static final int SPLIT_PAIRS = 16;
        private int layer;

        void attend(int l) {
            layer = l;
            RowTeam team = helper.team();
            if (team != null && n * (start + n) >= SPLIT_PAIRS) {
                team.run(this, heads, 1);
            } else {
                run(0, heads);
            }
        }

        @Override
        public void run(int from, int to) {
            for (int h = from; h < to; h++) {
                for (int t = 0; t < n; t++) {
                    attendHead(layer, h, t);
                }
            }
        }
    }

    private void attendHead(int l, int h, int t) {
        float[] kc = keys[l];
        float[] vc = values[l];
        float scale = (float) (1 / Math.sqrt(hd));
        int pos = start + t;
        int base = h * ctx * hd;
        int so = h * ctx;
        int row = t * d + h * hd;
        System.arraycopy(k, row, kc, base + pos * hd, hd);
        System.arraycopy(val, row, vc, base + pos * hd, hd);
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p <= pos; p++) {
            float s = Kernels.dot(q, row, kc, base + p * hd, hd) * scale;
            scores[so + p] = s;
            max = Math.max(max, s);
        }
        float inv = 1 / Kernels.expShift(scores, so, pos + 1, max);
        java.util.Arrays.fill(att, row, row + hd, 0f);
        for (int p = 0; p <= pos; p++) {
            Kernels.axpy(scores[so + p] * inv, vc, base + p * hd, att, row, hd);
        }
    }

    /** Rotate-half RoPE on every head of the row of {@code a} at {@code off}, at position {@code pos}. */
    private void rope(float[] a, int off, int pos) {
        int half = hd / 2;
        int t = pos * half;
        for (int h = 0; h < heads; h++) {
            int o = off + h * hd;
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

    private void layerNorm(float[] in, int io, Tensor weight, Tensor bias, float[] out, int oo) {
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += in[io + i];
        }
        mean /= d;
        double var = 0;
        for (int i = 0; i < d; i++) {
            double z = in[io + i] - mean;
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
            out[oo + i] = (in[io + i] - m) * inv * wd[wo + i] + bd[bo + i];
        }
    }

    /** Uses the JVM's decoding helper thread for the products of this generation, when it is free. */
    void useTeam(RowTeam t) {
        helper = new HelperTrial(t);
    }

    /** Feeds one step's time to the choice between one and two threads ({@link HelperTrial}). */
    void timed(long nanos) {
        helper.timed(nanos);
    }

    /**
     * Up to three products {@code Y = X·Wᵀ} over the same input rows, {@code X [tokens, cols]} and each
     * {@code Y [tokens, rows]}, as one task that the row team can split by weight rows. Each weight row is
     * read once and dotted with every token's input while it is in L1. Reused for every product, so
     * decoding allocates nothing per token.
     */
    private static final class Products implements RowTask {
        /** Below this many multiply-adds, handing half to the helper costs more than it saves. */
        private static final int SPLIT_WORK = 32 * 1024;
        private final float[][] w = new float[3][];
        private final int[] wo = new int[3];
        private final float[][] y = new float[3][];
        private int count;
        private int cols;
        private int tokens;
        private int rows;
        private float[] x;

        Products start(float[] x, int cols, int tokens) {
            this.x = x;
            this.cols = cols;
            this.tokens = tokens;
            count = 0;
            return this;
        }

        Products add(Tensor weight, float[] out) {
            return add(weight.data(), weight.offset(), out);
        }

        Products add(float[] weight, int offset, float[] out) {
            w[count] = weight;
            wo[count] = offset;
            y[count++] = out;
            return this;
        }

        void run(RowTeam team, int rows) {
            this.rows = rows;
            if (team != null && (long) rows * cols * count * tokens >= SPLIT_WORK) {
                team.run(this, rows);
            } else {
                run(0, rows);
            }
        }

        @Override
        public void run(int from, int to) {
            for (int i = 0; i < count; i++) {
                float[] wi = w[i];
                float[] yi = y[i];
                for (int r = from; r < to; r++) {
                    int row = wo[i] + r * cols;
                    for (int t = 0; t < tokens; t++) {
                        yi[t * rows + r] = Kernels.dot(wi, row, x, t * cols, cols);
                    }
                }
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

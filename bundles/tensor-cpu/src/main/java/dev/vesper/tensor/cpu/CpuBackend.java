package dev.vesper.tensor.cpu;

import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Shapes;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.internal.AttentionKernels;
import dev.vesper.tensor.cpu.internal.Elementwise;
import dev.vesper.tensor.cpu.internal.GateKernels;
import dev.vesper.tensor.cpu.internal.Gemm;
import dev.vesper.tensor.cpu.internal.LayoutKernels;
import dev.vesper.tensor.cpu.internal.LossKernels;
import dev.vesper.tensor.cpu.internal.Parallel;
import dev.vesper.tensor.cpu.internal.RowKernels;
import dev.vesper.tensor.cpu.internal.Simd;
import java.util.Arrays;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The CPU compute backend: checks shapes, then runs the kernels of {@code internal} on one shared
 * thread pool, with the Vector API when {@code jdk.incubator.vector} is present and a scalar path
 * otherwise ({@link #describe()} says which).
 */
@Component(service = ComputeBackend.class, property = {ComputeBackend.PROPERTY + "=cpu", "service.ranking:Integer=0"})
public class CpuBackend implements ComputeBackend {
    private final Simd simd;
    private final Parallel parallel;
    private final Gemm gemm;
    private final Elementwise elementwise;
    private final RowKernels rows;
    private final LayoutKernels layout;
    private final AttentionKernels attention;
    private final GateKernels gates;
    private final LossKernels loss;

    /** The shared pool sized to the cores, the Vector API when available. */
    public CpuBackend() {
        this(Parallel.shared(), Simd.best());
    }

    /**
     * A backend with its own pool of {@code threads} (benchmarks, tests); {@code allowVector == false}
     * forces the scalar path.
     */
    public CpuBackend(int threads, boolean allowVector) {
        this(threads == Parallel.shared().threads() ? Parallel.shared() : new Parallel(threads),
                allowVector ? Simd.best() : Simd.scalar());
    }

    private CpuBackend(Parallel parallel, Simd simd) {
        this.simd = simd;
        this.parallel = parallel;
        this.gemm = new Gemm(simd, parallel);
        this.elementwise = new Elementwise(simd, parallel);
        this.rows = new RowKernels(simd, parallel);
        this.layout = new LayoutKernels(simd, parallel);
        this.attention = new AttentionKernels(simd, parallel, gemm);
        this.gates = new GateKernels(simd, parallel);
        this.loss = new LossKernels(simd, parallel);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String describe() {
        String path = simd.vectorised()
                ? "Vector API (" + simd.lanes() * 32 + "-bit, " + simd.lanes() + " floats), sgemm micro-kernel "
                        + simd.tileRows() + "x" + simd.tileCols()
                : "scalar path (jdk.incubator.vector " + (Simd.best().vectorised() ? "disabled" : "absent")
                        + "), sgemm micro-kernel " + simd.tileRows() + "x" + simd.tileCols();
        return "CPU, " + path + ", " + parallel.threads() + " thread" + (parallel.threads() == 1 ? "" : "s");
    }

    /** Whether the Vector API path is active. */
    public boolean vectorised() {
        return simd.vectorised();
    }

    /** Threads of this backend's pool. */
    public int threads() {
        return parallel.threads();
    }

    // ---- dense algebra ------------------------------------------------------------------------

    @Override
    public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c, float beta) {
        int[] as = a.shape(), bs = b.shape(), cs = c.shape();
        int[] expect = Shapes.matmul(as, ta, bs, tb);
        int r = expect.length;
        int m = expect[r - 2], n = expect[r - 1];
        int k = ta ? as[as.length - 2] : as[as.length - 1];
        boolean bothBatched = as.length > 2 && bs.length > 2;
        boolean sumBatch = bothBatched && cs.length == 2 && cs[0] == m && cs[1] == n;
        if (!sumBatch && !Arrays.equals(cs, expect) && !(c.size() == Shapes.size(expect) && cs[cs.length - 1] == n)) {
            throw new IllegalArgumentException("matmul: " + a.shapeString() + (ta ? "^T" : "") + " x "
                    + b.shapeString() + (tb ? "^T" : "") + ": output " + c.shapeString() + " should be " + Shapes.format(expect));
        }
        int aMat = as[as.length - 2] * as[as.length - 1];
        int bMat = bs[bs.length - 2] * bs[bs.length - 1];
        int batchA = as.length > 2 ? leading(as) : 1;
        int batchB = bs.length > 2 ? leading(bs) : 1;
        int batch = Math.max(batchA, batchB);
        int lda = as[as.length - 1], ldb = bs[bs.length - 1];
        float[] ad = a.data(), bd = b.data(), cd = c.data();
        int ao = a.offset(), bo = b.offset(), co = c.offset();
        if (batch == 1 || (as.length > 2 && bs.length == 2 && !ta)) {
            // a 2-D product, or a batch of rows against one matrix: one GEMM over all rows
            gemm.gemm(ad, ao, lda, ta, bd, bo, ldb, tb, cd, co, n, batch * m, n, k, beta);
        } else if (sumBatch && ta && !tb) {
            // Σ_b A_bᵀ·B_b is one GEMM with the batch folded into the inner dimension
            gemm.gemm(ad, ao, lda, true, bd, bo, ldb, false, cd, co, n, m, n, batch * k, beta);
        } else if (sumBatch) {
            for (int i = 0; i < batch; i++) {
                gemm.gemm(ad, ao + i * aMat, lda, ta, bd, bo + i * bMat, ldb, tb, cd, co, n, m, n, k, i == 0 ? beta : 1f);
            }
        } else {
            int aStep = batchA > 1 ? aMat : 0, bStep = batchB > 1 ? bMat : 0, cStep = m * n;
            boolean forkInside = gemm.wouldFork(m, n, k) && batch < 2 * parallel.threads();
            if (forkInside) {
                for (int i = 0; i < batch; i++) {
                    gemm.gemm(ad, ao + i * aStep, lda, ta, bd, bo + i * bStep, ldb, tb, cd, co + i * cStep, n, m, n, k, beta);
                }
            } else {
                parallel.forRange(batch, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        gemm.gemm(ad, ao + i * aStep, lda, ta, bd, bo + i * bStep, ldb, tb, cd, co + i * cStep, n,
                                m, n, k, beta, false);
                    }
                });
            }
        }
    }

    private static int leading(int[] s) {
        int p = 1;
        for (int i = 0; i < s.length - 2; i++) {
            p *= s[i];
        }
        return p;
    }

    // ---- elementwise ---------------------------------------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        checkBroadcast("add", a, b);
        checkSame("add", a, out);
        elementwise.add(a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        checkBroadcast("mul", a, b);
        checkSame("mul", a, out);
        elementwise.mul(a, b, out);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        checkSize("scale", a, out);
        elementwise.scale(a, s, out);
    }

    @Override
    public void accumulate(Tensor src, float s, Tensor dst) {
        int ss = src.size(), ds = dst.size();
        if (ss != ds && (ss == 0 || ds == 0 || (ss > ds ? ss % ds : ds % ss) != 0)) {
            throw new IllegalArgumentException("accumulate: " + src.shapeString() + " into " + dst.shapeString()
                    + ": neither size is a multiple of the other");
        }
        elementwise.accumulate(src, s, dst);
    }

    @Override
    public void mulBackward(Tensor dy, Tensor a, Tensor b, Tensor da, Tensor db) {
        checkBroadcast("mulBackward", a, b);
        checkSize("mulBackward dy", a, dy);
        if (da != null) {
            checkSize("mulBackward da", a, da);
        }
        if (db != null) {
            checkSize("mulBackward db", b, db);
        }
        elementwise.mulBackward(dy, a, b, da, db);
    }

    @Override
    public void sum(Tensor a, Tensor out) {
        out.set(0, (float) elementwise.sum(a));
    }

    // ---- embeddings, normalisation, heads -----------------------------------------------------

    @Override
    public void embedding(Tensor table, IntTensor ids, Tensor out) {
        checkTable(table, ids);
        if (out.size() != ids.size() * table.dim(1)) {
            throw new IllegalArgumentException("embedding: table " + table.shapeString() + ", ids " + ids.shapeString()
                    + ": output " + out.shapeString() + " has the wrong size");
        }
        layout.embedding(table, ids, out);
    }

    @Override
    public void embeddingBackward(Tensor dOut, IntTensor ids, Tensor dTable) {
        checkTable(dTable, ids);
        if (dOut.size() != ids.size() * dTable.dim(1)) {
            throw new IllegalArgumentException("embeddingBackward: dOut " + dOut.shapeString() + " for ids "
                    + ids.shapeString() + " and table " + dTable.shapeString());
        }
        layout.embeddingBackward(dOut, ids, dTable);
    }

    private static void checkTable(Tensor table, IntTensor ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: table " + table.shapeString() + " must be [V,D]");
        }
        int v = table.dim(0);
        int[] id = ids.data();
        for (int i = 0; i < id.length; i++) {
            if (id[i] < 0 || id[i] >= v) {
                throw new IllegalArgumentException("embedding: id " + id[i] + " at position " + i + " of ids "
                        + ids.shapeString() + " is outside the table " + table.shapeString());
            }
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out, Tensor mean, Tensor rstd) {
        checkNormParams("layerNorm", x, weight, bias);
        checkSize("layerNorm", x, out);
        rows.layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dWeight, Tensor dBias) {
        checkNormParams("layerNormBackward", x, weight, weight);
        checkSize("layerNormBackward", x, dy);
        rows.layerNormBackward(dy, x, weight, mean, rstd, dx, dWeight, dBias);
    }

    private static void checkNormParams(String op, Tensor x, Tensor w, Tensor b) {
        int c = x.dim(-1);
        if (w.size() != c || b.size() != c) {
            throw new IllegalArgumentException(op + ": x " + x.shapeString() + " with weight " + w.shapeString()
                    + " and bias " + b.shapeString() + ": both need " + c + " values");
        }
    }

    @Override
    public void splitHeads(Tensor x, Tensor out, boolean accumulate) {
        checkHeads("splitHeads", x, out);
        layout.permuteHeads(x, out, true, accumulate);
    }

    @Override
    public void mergeHeads(Tensor x, Tensor out, boolean accumulate) {
        checkHeads("mergeHeads", out, x);
        layout.permuteHeads(x, out, false, accumulate);
    }

    private static void checkHeads(String op, Tensor flat, Tensor heads) {
        if (flat.rank() != 3 || heads.rank() != 4 || flat.dim(0) != heads.dim(0) || flat.dim(1) != heads.dim(2)
                || flat.dim(2) != heads.dim(1) * heads.dim(3)) {
            throw new IllegalArgumentException(op + ": " + flat.shapeString() + " and " + heads.shapeString()
                    + " are not [B,T,H*hd] and [B,H,T,hd]");
        }
    }

    @Override
    public void rope(Tensor x, int positionOffset, float theta, Tensor out) {
        checkRope("rope", x, positionOffset);
        checkSize("rope", x, out);
        layout.rope(x, positionOffset, theta, out, false);
    }

    @Override
    public void ropeBackward(Tensor dy, int positionOffset, float theta, Tensor dx) {
        checkRope("ropeBackward", dy, positionOffset);
        checkSize("ropeBackward", dy, dx);
        layout.rope(dy, positionOffset, theta, dx, true);
    }

    private static void checkRope(String op, Tensor x, int offset) {
        if (x.rank() < 2 || x.dim(-1) % 2 != 0 || offset < 0) {
            throw new IllegalArgumentException(op + ": " + x.shapeString() + " with position offset " + offset
                    + ": needs [..., T, hd] with an even hd and an offset >= 0");
        }
    }

    // ---- attention and softmax -----------------------------------------------------------------

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, float dropout, long seed, Tensor out, Tensor lse) {
        checkAttention(q, k, v);
        checkSize("attention out", q, out);
        if (lse != null && lse.size() != q.size() / q.dim(3)) {
            throw new IllegalArgumentException("attention: lse " + lse.shapeString() + " for q " + q.shapeString());
        }
        attention.forward(q, k, v, dropout, seed, out, lse);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut,
                                  float dropout, long seed, Tensor dq, Tensor dk, Tensor dv) {
        checkAttention(q, k, v);
        checkSize("attentionBackward dOut", q, dOut);
        attention.backward(q, k, v, out, lse, dOut, dropout, seed, dq, dk, dv);
    }

    static void checkAttention(Tensor q, Tensor k, Tensor v) {
        boolean ok = q.rank() == 4 && k.rank() == 4 && Arrays.equals(k.shape(), v.shape())
                && q.dim(0) == k.dim(0) && q.dim(1) == k.dim(1) && q.dim(3) == k.dim(3) && k.dim(2) >= q.dim(2);
        if (!ok) {
            throw new IllegalArgumentException("causalAttention: q " + q.shapeString() + ", k " + k.shapeString()
                    + ", v " + v.shapeString() + ": need q [B,H,Tq,hd] and k, v [B,H,Tk,hd] with Tk >= Tq");
        }
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        checkSize("softmax", x, out);
        rows.softmax(x, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        checkSize("softmaxBackward", y, dy);
        checkSize("softmaxBackward", y, dx);
        rows.softmaxBackward(y, dy, dx);
    }

    // ---- regularisation, gating, activations ---------------------------------------------------

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor out) {
        checkSize("dropout", x, out);
        gates.dropout(x, p, seed, out, false);
    }

    @Override
    public void dropoutBackward(Tensor dy, float p, long seed, Tensor dx) {
        checkSize("dropoutBackward", dy, dx);
        gates.dropout(dy, p, seed, dx, true);
    }

    @Override
    public void topK(Tensor x, Tensor bias, int k, Tensor out) {
        checkTopK(x, bias, k);
        checkSize("topK", x, out);
        gates.topK(x, bias, k, x, out, false);
    }

    @Override
    public void topKBackward(Tensor x, Tensor bias, int k, Tensor dy, Tensor dx) {
        checkTopK(x, bias, k);
        checkSize("topKBackward", x, dy);
        checkSize("topKBackward", x, dx);
        gates.topK(x, bias, k, dy, dx, true);
    }

    private static void checkTopK(Tensor x, Tensor bias, int k) {
        int c = x.dim(-1);
        if (bias.size() != c || k < 0 || k > c) {
            throw new IllegalArgumentException("topK: x " + x.shapeString() + ", bias " + bias.shapeString() + ", k=" + k
                    + ": bias needs " + c + " values and k must lie in [0," + c + "]");
        }
    }

    @Override
    public void activation(Activation activation, Tensor x, Tensor out, Map<String, Double> options) {
        checkSize("activation " + activation.name(), x, out);
        checkOrigin("activation " + activation.name(), x, out);
        gates.activation(activation, x, out, options);
    }

    @Override
    public void activationBackward(Activation activation, Tensor x, Tensor dy, Tensor dx, Map<String, Double> options) {
        checkSize("activationBackward " + activation.name(), x, dy);
        checkSize("activationBackward " + activation.name(), x, dx);
        checkOrigin("activationBackward " + activation.name(), x, dy, dx);
        gates.activationBackward(activation, x, dy, dx, options);
    }

    private static void checkOrigin(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t.offset() != 0) {
                throw new IllegalArgumentException(op + ": tensor " + t.shapeString() + " starts at offset " + t.offset()
                        + "; activations need tensors that start at 0");
            }
        }
    }

    // ---- loss ----------------------------------------------------------------------------------

    @Override
    public void crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex, Tensor result, Tensor dLogits) {
        int v = logits.dim(-1);
        if (targets.size() * v != logits.size()) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + ": need logits [..., V] and targets [...] with the same leading shape");
        }
        if (result.size() < 3) {
            throw new IllegalArgumentException("crossEntropy: result " + result.shapeString() + " needs 3 values");
        }
        if (dLogits != null) {
            checkSize("crossEntropy dLogits", logits, dLogits);
        }
        loss.crossEntropy(logits, targets, ignoreIndex, result, dLogits);
    }

    // ---- checks --------------------------------------------------------------------------------

    private static void checkBroadcast(String op, Tensor a, Tensor b) {
        if (!Shapes.isSuffix(b.shape(), a.shape())) {
            throw new IllegalArgumentException(op + ": " + a.shapeString() + " and " + b.shapeString()
                    + ": the second shape must equal the last dimensions of the first");
        }
    }

    private static void checkSame(String op, Tensor a, Tensor out) {
        if (!Arrays.equals(a.shape(), out.shape())) {
            throw new IllegalArgumentException(op + ": output " + out.shapeString() + " should be " + a.shapeString());
        }
    }

    private static void checkSize(String op, Tensor a, Tensor out) {
        if (a.size() != out.size()) {
            throw new IllegalArgumentException(op + ": " + a.shapeString() + " and " + out.shapeString()
                    + " differ in size");
        }
    }
}

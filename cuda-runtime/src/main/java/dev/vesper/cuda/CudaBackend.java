package dev.vesper.cuda;

import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.cuda.internal.GemmDevice;
import dev.vesper.cuda.internal.GemmPlan;
import dev.vesper.cuda.internal.GemmPlan.Launch;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * The CUDA compute backend: matrix products, which are most of a training step's work, run on the
 * GPU; every other kernel runs on the host backend it was given (the CPU one).
 *
 * <p>Tensors live in host arrays (the {@link Tensor} contract), so a product copies its operands
 * to the device and its result back. Products too small to repay that stay on the host, and so do
 * all of them once the device has been closed or the driver has failed: work that holds this
 * backend goes on, on the CPU.
 */
public final class CudaBackend implements ComputeBackend {
    private static final System.Logger LOG = System.getLogger("dev.vesper.cuda");
    /** Below this many multiply-adds a product stays on the host: the copies would cost more. */
    public static final long DEFAULT_MIN_WORK = 1L << 18;

    private final GemmDevice device;
    private final ComputeBackend host;
    private final long minWork;
    private volatile boolean usable = true;

    public CudaBackend(GemmDevice device, ComputeBackend host) {
        this(device, host, DEFAULT_MIN_WORK);
    }

    /** A backend that sends products of at least {@code minWork} multiply-adds to the GPU. */
    public CudaBackend(GemmDevice device, ComputeBackend host, long minWork) {
        this.device = device;
        this.host = host;
        this.minWork = minWork;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return "CUDA " + device.description() + "; matmul on the GPU, other kernels on " + host.describe();
    }

    @Override
    public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c, float beta) {
        List<Launch> plan = GemmPlan.of(a.shape(), ta, b.shape(), tb, c.shape(), beta);
        long work = 0;
        for (Launch l : plan) {
            work += (long) l.batch() * l.m() * l.n() * l.k();
        }
        if (work < minWork || !usable || !device.fits(plan) || !onDevice(plan, a, b, c)) {
            host.matmul(a, ta, b, tb, c, beta);
        }
    }

    /**
     * Runs the plan on the GPU; false when the device is closed or has failed, in which case nothing
     * was written to {@code c} and the host must do the product. A driver failure (out of memory,
     * a launch error) is said once and the device is not used again.
     */
    private boolean onDevice(List<Launch> plan, Tensor a, Tensor b, Tensor c) {
        try {
            return device.gemm(plan, a.data(), a.offset(), a.size(), b.data(), b.offset(), b.size(),
                    c.data(), c.offset(), c.size());
        } catch (RuntimeException e) {
            // JCuda's CudaException, or anything else the driver path throws: the CPU can still do the work
            usable = false;
            LOG.log(Level.WARNING, "CUDA backend: " + e.getMessage() + "; matrix products run on the CPU from now on");
            return false;
        }
    }

    // ---- everything else runs on the host backend ----------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        host.add(a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        host.mul(a, b, out);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        host.scale(a, s, out);
    }

    @Override
    public void accumulate(Tensor src, float s, Tensor dst) {
        host.accumulate(src, s, dst);
    }

    @Override
    public void mulBackward(Tensor dy, Tensor a, Tensor b, Tensor da, Tensor db) {
        host.mulBackward(dy, a, b, da, db);
    }

    @Override
    public void sum(Tensor a, Tensor out) {
        host.sum(a, out);
    }

    @Override
    public void embedding(Tensor table, IntTensor ids, Tensor out) {
        host.embedding(table, ids, out);
    }

    @Override
    public void embeddingBackward(Tensor dOut, IntTensor ids, Tensor dTable) {
        host.embeddingBackward(dOut, ids, dTable);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out, Tensor mean, Tensor rstd) {
        host.layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dWeight, Tensor dBias) {
        host.layerNormBackward(dy, x, weight, mean, rstd, dx, dWeight, dBias);
    }

    @Override
    public void splitHeads(Tensor x, Tensor out, boolean accumulate) {
        host.splitHeads(x, out, accumulate);
    }

    @Override
    public void mergeHeads(Tensor x, Tensor out, boolean accumulate) {
        host.mergeHeads(x, out, accumulate);
    }

    @Override
    public void rope(Tensor x, int positionOffset, float theta, Tensor out) {
        host.rope(x, positionOffset, theta, out);
    }

    @Override
    public void ropeBackward(Tensor dy, int positionOffset, float theta, Tensor dx) {
        host.ropeBackward(dy, positionOffset, theta, dx);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, float dropout, long seed, Tensor out, Tensor lse) {
        host.attention(q, k, v, dropout, seed, out, lse);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut,
                                  float dropout, long seed, Tensor dq, Tensor dk, Tensor dv) {
        host.attentionBackward(q, k, v, out, lse, dOut, dropout, seed, dq, dk, dv);
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        host.softmax(x, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        host.softmaxBackward(y, dy, dx);
    }

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor out) {
        host.dropout(x, p, seed, out);
    }

    @Override
    public void dropoutBackward(Tensor dy, float p, long seed, Tensor dx) {
        host.dropoutBackward(dy, p, seed, dx);
    }

    @Override
    public void topK(Tensor x, Tensor bias, int k, Tensor out) {
        host.topK(x, bias, k, out);
    }

    @Override
    public void topKBackward(Tensor x, Tensor bias, int k, Tensor dy, Tensor dx) {
        host.topKBackward(x, bias, k, dy, dx);
    }

    @Override
    public void activation(Activation activation, Tensor x, Tensor out, Map<String, Double> options) {
        host.activation(activation, x, out, options);
    }

    @Override
    public void activationBackward(Activation activation, Tensor x, Tensor dy, Tensor dx, Map<String, Double> options) {
        host.activationBackward(activation, x, dy, dx, options);
    }

    @Override
    public void crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex, Tensor result, Tensor dLogits) {
        host.crossEntropy(logits, targets, ignoreIndex, result, dLogits);
    }
}

package dev.vesper.bench.tensor;

import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward + backward of the fused kernels at the tiny model's shapes (d_model 256, 4 heads of 64,
 * vocabulary 4096) for a batch of 16 sequences of 128 tokens, the batch PyTorch's anchor uses
 * ({@code ../shared/bench/torch_gpt_bench.py --cfg tiny --vocab 4096 --batch 16 --seq 128}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class KernelBench {
    static final int B = 16;
    static final int T = 128;
    static final int D = 256;
    static final int H = 4;
    static final int HD = D / H;
    static final int V = 4096;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend be;
    // LayerNorm
    private Tensor x, w, bias, y, mean, rstd, dy, dx, dw, db;
    // attention
    private Tensor q, k, v, o, lse, dO, dq, dk, dv;
    // cross-entropy
    private Tensor logits, dLogits, result, dLogitsOut;
    private IntTensor targets;

    static Tensor randn(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t;
    }

    @Setup
    public void setup() {
        be = new CpuBackend(threads, true);
        Random r = new Random(1);
        x = randn(r, B, T, D);
        w = randn(r, D);
        bias = randn(r, D);
        y = Tensor.zeros(B, T, D);
        mean = Tensor.zeros(B * T);
        rstd = Tensor.zeros(B * T);
        dy = randn(r, B, T, D);
        dx = Tensor.zeros(B, T, D);
        dw = Tensor.zeros(D);
        db = Tensor.zeros(D);
        q = randn(r, B, H, T, HD);
        k = randn(r, B, H, T, HD);
        v = randn(r, B, H, T, HD);
        o = Tensor.zeros(B, H, T, HD);
        lse = Tensor.zeros(B, H, T);
        dO = randn(r, B, H, T, HD);
        dq = Tensor.zeros(B, H, T, HD);
        dk = Tensor.zeros(B, H, T, HD);
        dv = Tensor.zeros(B, H, T, HD);
        logits = randn(r, B, T, V);
        dLogits = Tensor.zeros(B, T, V);
        dLogitsOut = Tensor.zeros(B, T, V);
        result = Tensor.zeros(3);
        targets = IntTensor.zeros(B, T);
        for (int i = 0; i < targets.size(); i++) {
            targets.data()[i] = r.nextInt(V);
        }
    }

    @Benchmark
    public Tensor layerNormForwardBackward() {
        be.layerNorm(x, w, bias, 1e-5f, y, mean, rstd);
        be.layerNormBackward(dy, x, w, mean, rstd, dx, dw, db);
        return dx;
    }

    @Benchmark
    public Tensor attentionForwardBackward() {
        be.attention(q, k, v, 0f, 0L, o, lse);
        be.attentionBackward(q, k, v, o, lse, dO, 0f, 0L, dq, dk, dv);
        return dq;
    }

    @Benchmark
    public Tensor crossEntropyForwardBackward() {
        be.crossEntropy(logits, targets, -100, result, dLogits);
        // the backward of the fused loss: scale the stored gradient by the upstream gradient
        be.accumulate(dLogits, 1f, dLogitsOut);
        return result;
    }
}

package dev.vesper.bench.tensor;

import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A training-like step through the autograd engine: one pre-norm decoder layer of the tiny model
 * (embedding, LayerNorm, q/k/v, RoPE, fused attention, output projection, FFN with SiLU, tied head,
 * cross-entropy) forward and backward, on 8 sequences of 128 tokens, V = 4096.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per step. The
 * step's buffers (tens of MB) come from the engine's pool, so what remains is small bookkeeping
 * (tape closures, maps, tensor headers). The teardown prints how many arrays the pool allocated,
 * which stays flat after the first step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainStepBench {
    static final int B = 8;
    static final int T = 128;
    static final int D = 256;
    static final int H = 4;
    static final int F = 4 * D;
    static final int V = 4096;

    @Param({"2"})
    public int threads;

    private TapeAutograd ag;
    private Tensor emb, n1w, n1b, wq, wk, wv, wo, n2w, n2b, w1, w2, nfw, nfb;
    private IntTensor ids, targets;
    private long arraysAfterSetup;
    private long step;
    private long stepsAfterSetup;
    private long bytesAfterSetup;

    /** SiLU, inline so the benchmark needs no activation bundle. */
    static final class Silu implements Activation {
        @Override
        public String name() {
            return "silu";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            for (int i = rowFrom * cols; i < rowTo * cols; i++) {
                y[i] = x[i] / (1f + (float) Math.exp(-x[i]));
            }
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            for (int i = rowFrom * cols; i < rowTo * cols; i++) {
                float s = 1f / (1f + (float) Math.exp(-x[i]));
                dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
            }
        }
    }

    private final Activation silu = new Silu();

    private static Tensor param(Random r, float std, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (r.nextGaussian() * std));
        }
        return t.requiresGrad(true);
    }

    private static Tensor ones(int n) {
        Tensor t = Tensor.zeros(n);
        t.fill(1f);
        return t.requiresGrad(true);
    }

    @Setup
    public void setup() {
        ag = new TapeAutograd(new CpuBackend(threads, true));
        Random r = new Random(5);
        emb = param(r, 0.02f, V, D);
        n1w = ones(D);
        n1b = param(r, 0f, D);
        n2w = ones(D);
        n2b = param(r, 0f, D);
        nfw = ones(D);
        nfb = param(r, 0f, D);
        wq = param(r, 0.05f, D, D);
        wk = param(r, 0.05f, D, D);
        wv = param(r, 0.05f, D, D);
        wo = param(r, 0.05f, D, D);
        w1 = param(r, 0.05f, F, D);
        w2 = param(r, 0.03f, D, F);
        ids = IntTensor.zeros(B, T);
        targets = IntTensor.zeros(B, T);
        for (int i = 0; i < ids.size(); i++) {
            ids.data()[i] = r.nextInt(V);
            targets.data()[i] = r.nextInt(V);
        }
        step();   // the first step fills the pool
        arraysAfterSetup = ag.pooledAllocations();
        stepsAfterSetup = step;
        bytesAfterSetup = allocatedByAllThreads();
    }

    @Benchmark
    public float step() {
        try (Graph g = ag.record(step++)) {
            Tensor h = g.embedding(emb, ids);
            Tensor a = g.layerNorm(h, n1w, n1b, 1e-5f);
            Tensor q = g.rope(g.splitHeads(g.linear(a, wq), H), 0, 10000f);
            Tensor k = g.rope(g.splitHeads(g.linear(a, wk), H), 0, 10000f);
            Tensor v = g.splitHeads(g.linear(a, wv), H);
            h = g.add(h, g.linear(g.mergeHeads(g.causalAttention(q, k, v, 0f)), wo));
            Tensor f = g.layerNorm(h, n2w, n2b, 1e-5f);
            h = g.add(h, g.linear(g.activation(g.linear(f, w1), silu, Map.of()), w2));
            Tensor logits = g.linear(g.layerNorm(h, nfw, nfb, 1e-5f), emb);
            CrossEntropy ce = g.crossEntropy(logits, targets, -100);
            g.backward(ce.loss());
            return ce.lossValue();
        }
    }

    /** Heap bytes allocated so far by every live thread of this JVM (HotSpot's per-thread counters). */
    static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long b = mx.getThreadAllocatedBytes(id);
            sum += Math.max(0, b);
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void markIteration() {
        stepsAfterSetup = step;
        bytesAfterSetup = allocatedByAllThreads();
    }

    /** The allocation counter, per iteration: high while the JIT warms up (boxed vectors), then flat. */
    @TearDown(Level.Iteration)
    public void reportIteration() {
        long steps = step - stepsAfterSetup;
        long bytes = allocatedByAllThreads() - bytesAfterSetup;
        System.out.printf("  [heap allocated by all threads: %.1f KiB per step over %d steps; pooled arrays so far %d]%n",
                bytes / 1024.0 / Math.max(1, steps), steps, ag.pooledAllocations());
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println();
        System.out.println("pooled arrays allocated: after the first step " + arraysAfterSetup + ", after " + step
                + " steps " + ag.pooledAllocations() + " (" + ag.pooledAllocatedFloats() * 4 / (1 << 20) + " MiB in all)");
    }
}

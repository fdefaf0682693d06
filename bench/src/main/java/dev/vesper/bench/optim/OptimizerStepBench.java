package dev.vesper.bench.optim;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.optimizer.velvet.internal.VelvetFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step over the parameters of VesperLM tiny (vocab 4096, d 256, 6 layers, tied head:
 * 5,773,824 elements), on one or two threads, next to a STREAM-style triad that measures the memory
 * bandwidth the same JVM reaches on the same threads.
 *
 * <p>Scores are bytes per second ({@link OperationsPerInvocation} is the bytes one call touches), so
 * divide by 1e9 for GB/s. A step touches 28 bytes per element: it reads p, g, m, v and writes p, m, v
 * (7 FP32 streams). The triad {@code a = b + s·c} touches 12 bytes per element (reads 2, writes 1),
 * counted the same way as STREAM (write-allocate traffic not counted, in either); the copy
 * ({@code System.arraycopy}) 8 bytes per element. {@link #stepPattern} streams like a step (reads
 * 4 arrays, writes 3: 28 bytes per element) with trivial arithmetic: one core reaches more bandwidth
 * with more streams in flight, so this, not the triad, is the ceiling a step can approach.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class OptimizerStepBench {
    /** Elements of the tiny model's parameters. */
    static final int ELEMENTS = 4096 * 256 + 6 * (4 * 256 + 4 * 256 * 256 + 2 * 1024 * 256) + 2 * 256;
    static final int STEP_BYTES = 28 * ELEMENTS;
    /** Triad arrays: 3 × 64 MiB, well beyond any cache. */
    static final int TRIAD_LENGTH = 1 << 24;
    static final int TRIAD_BYTES = 12 * TRIAD_LENGTH;
    /** {@code System.arraycopy} of the same length: reads 1, writes 1. */
    static final int COPY_BYTES = 8 * TRIAD_LENGTH;
    /** The optimizer's access pattern (read 4 streams, write 3) with trivial arithmetic. */
    static final int PATTERN_BYTES = 28 * TRIAD_LENGTH;

    @Param({"1", "2"})
    public int threads;

    private Optimizer adamw;
    private Optimizer velvet;
    private List<Parameter> adamwParams;
    private List<Parameter> velvetParams;
    private final StepContext context = new StepContext(1e-4, 3.0, 4.0);

    private float[] a;
    private float[] b;
    private float[] c;
    private float[] d;
    private Part[] parts;

    @Setup
    public void setup() {
        adamwParams = tinyModel(1);
        velvetParams = tinyModel(1);
        adamw = new AdamWFactory().create(adamwParams, Map.of("threads", threads));
        velvet = new VelvetFactory().create(velvetParams, Map.of("threads", threads));
        a = new float[TRIAD_LENGTH];
        b = new float[TRIAD_LENGTH];
        c = new float[TRIAD_LENGTH];
        d = new float[TRIAD_LENGTH];
        for (int i = 0; i < TRIAD_LENGTH; i++) {
            b[i] = i;
            c[i] = 1;
        }
        parts = new Part[threads];
        int part = TRIAD_LENGTH / threads;
        for (int t = 0; t < threads; t++) {
            parts[t] = new Part(t * part, t == threads - 1 ? TRIAD_LENGTH : (t + 1) * part);
        }
    }

    /** The tiny model's parameter set with the spec names and decay flags, gradients all non-zero. */
    static List<Parameter> tinyModel(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Parameter> ps = new ArrayList<>();
        ps.add(param(r, "tok_embeddings.weight", false, 4096, 256));
        for (int l = 0; l < 6; l++) {
            String p = "layers." + l + ".";
            ps.add(param(r, p + "attn_norm.weight", false, 256));
            ps.add(param(r, p + "attn_norm.bias", false, 256));
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                ps.add(param(r, p + "attn." + w + ".weight", true, 256, 256));
            }
            ps.add(param(r, p + "ffn_norm.weight", false, 256));
            ps.add(param(r, p + "ffn_norm.bias", false, 256));
            ps.add(param(r, p + "ffn.w1.weight", true, 1024, 256));
            ps.add(param(r, p + "ffn.w2.weight", true, 256, 1024));
        }
        ps.add(param(r, "norm.weight", false, 256));
        ps.add(param(r, "norm.bias", false, 256));
        long n = ps.stream().mapToLong(p -> p.value().size()).sum();
        if (n != ELEMENTS) {
            throw new IllegalStateException("tiny model has " + n + " elements, expected " + ELEMENTS);
        }
        return ps;
    }

    private static Parameter param(SplittableRandom r, String name, boolean decay, int... shape) {
        Tensor t = Tensor.zeros(shape).requiresGrad(true);
        float[] g = t.grad();
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (r.nextGaussian() * 0.02));
            g[i] = (float) (r.nextGaussian() * 1e-3) + 1e-6f;
        }
        return new Parameter(name, t, decay);
    }

    @Benchmark
    @OperationsPerInvocation(STEP_BYTES)
    public void adamwStep() {
        adamw.step(context);
    }

    /** All three features on; the gradients have no zeros, so nothing is skipped. */
    @Benchmark
    @OperationsPerInvocation(STEP_BYTES)
    public void velvetStep() {
        velvet.step(context);
    }

    @Benchmark
    @OperationsPerInvocation(TRIAD_BYTES)
    public void triad() {
        stream(TRIAD);
    }

    @Benchmark
    @OperationsPerInvocation(COPY_BYTES)
    public void copy() {
        stream(COPY);
    }

    /**
     * Reads four arrays and writes three, like a step, with a multiply-add instead of Adam's divisions
     * and square root: what memory allows this access pattern on these threads.
     */
    @Benchmark
    @OperationsPerInvocation(PATTERN_BYTES)
    public void stepPattern() {
        stream(PATTERN);
    }

    private static final int TRIAD = 0;
    private static final int COPY = 1;
    private static final int PATTERN = 2;

    private void stream(int kind) {
        for (int t = 1; t < parts.length; t++) {
            parts[t].kind = kind;
            parts[t].reinitialize();
            parts[t].fork();
        }
        parts[0].kind = kind;
        parts[0].compute();
        for (int t = 1; t < parts.length; t++) {
            parts[t].join();
        }
    }

    /** One thread's contiguous part of a triad, copy or step-pattern pass (plain loops the JIT vectorises). */
    private final class Part extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;
        int kind;

        Part(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            float[] x = a;
            float[] y = b;
            float[] z = c;
            float[] w = d;
            if (kind == COPY) {
                System.arraycopy(y, from, x, from, to - from);
            } else if (kind == TRIAD) {
                for (int i = from; i < to; i++) {
                    x[i] = y[i] + 3f * z[i];
                }
            } else {
                for (int i = from; i < to; i++) {
                    float g = y[i];
                    x[i] = 0.5f * x[i] + g;
                    z[i] = 0.5f * z[i] + g;
                    w[i] = 0.5f * w[i] + g;
                }
            }
        }
    }
}

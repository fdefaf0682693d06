package dev.vesper.bench.tensor;

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
 * {@code C = A·B} for {@code A [M,K]}, {@code B [K,N]} (the layout numpy_sgemm.py times), on one or two
 * threads. GFLOP/s = 2·M·K·N / time; {@code bench/sgemm-vs-openblas.sh} prints them beside OpenBLAS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SgemmBench {
    /** {@code MxKxN}. */
    @Param({"512x512x512", "1024x1024x1024", "2048x256x1024", "2048x1024x256", "4096x256x4096"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Tensor a;
    private Tensor b;
    private Tensor c;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        int m = Integer.parseInt(s[0]), k = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]);
        backend = new CpuBackend(threads, true);
        Random r = new Random(0);
        a = Tensor.zeros(m, k);
        b = Tensor.zeros(k, n);
        c = Tensor.zeros(m, n);
        for (int i = 0; i < a.size(); i++) {
            a.set(i, (float) r.nextGaussian());
        }
        for (int i = 0; i < b.size(); i++) {
            b.set(i, (float) r.nextGaussian());
        }
    }

    @Benchmark
    public Tensor sgemm() {
        backend.matmul(a, false, b, false, c, 0f);
        return c;
    }
}

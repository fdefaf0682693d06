package dev.vesper.bench.tensor;

import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.CpuBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Single-threaded sgemm GFLOP/s per second of the thread's own CPU time, not of wall time. On a
 * shared machine wall time counts the seconds other processes held the core; CPU time does not,
 * so the ratio against OpenBLAS measured the same way (bench/sgemm-vs-openblas.sh with
 * {@code VESPER_SGEMM_CLOCK=cpu}) stays stable within a few percent under load. Not a JMH benchmark:
 * JMH has no CPU-time mode. Usage: {@code SgemmCpuTime MxKxN...}; prints {@code vesper,1,M,K,N,median,min,max}.
 */
public final class SgemmCpuTime {
    private SgemmCpuTime() {
    }

    public static void main(String[] args) {
        CpuBackend backend = new CpuBackend(1, true);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String shape : args) {
            String[] s = shape.split("x");
            int m = Integer.parseInt(s[0]), k = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]);
            Random r = new Random(0);
            Tensor a = Tensor.zeros(m, k), b = Tensor.zeros(k, n), c = Tensor.zeros(m, n);
            for (int i = 0; i < a.size(); i++) {
                a.set(i, (float) r.nextGaussian());
            }
            for (int i = 0; i < b.size(); i++) {
                b.set(i, (float) r.nextGaussian());
            }
            double[] gf = new double[9];
            for (int sample = -3; sample < gf.length; sample++) {   // 3 warm-up samples
                long t0 = mx.getCurrentThreadCpuTime();
                long reps = 0;
                long t;
                do {
                    backend.matmul(a, false, b, false, c, 0f);
                    reps++;
                    t = mx.getCurrentThreadCpuTime() - t0;
                } while (t < 300_000_000L);
                if (sample >= 0) {
                    gf[sample] = 2.0 * m * k * n * reps / t;
                }
            }
            Arrays.sort(gf);
            System.out.printf("vesper,1,%d,%d,%d,%.1f,%.1f,%.1f%n", m, k, n, gf[gf.length / 2], gf[0], gf[gf.length - 1]);
        }
    }
}

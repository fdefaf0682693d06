package dev.vesper.bench.train;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.cuda.CudaBackend;
import dev.vesper.cuda.internal.CudaDevice;
import dev.vesper.cuda.internal.CudaUnavailableException;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.optimizer.velvet.internal.VelvetFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import dev.vesper.trainer.internal.StepRunner;
import dev.vesper.trainer.internal.TrainingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
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
 * The trainer's whole step on VesperLM {@code tiny} at vocabulary 4096, batch 16 × seq 128: forward,
 * backward, global gradient-norm clipping (1.0) and the optimizer step, through the same
 * {@link TrainingStep} the training job runs. The score is tokens per second (2,048 per operation).
 *
 * <p>Compare in the same sitting with
 * {@code /usr/bin/python3 ../shared/bench/torch_gpt_bench.py --cfg tiny --vocab 4096 --batch 16 --seq 128 --threads 1}
 * (SiLU, AdamW). {@link #main} runs the same step outside JMH and prints tokens/s, MFU and the peak
 * resident set size, for the memory comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 6)
@Measurement(iterations = 5, time = 6)
// Serial GC: G1 would put every 2 MiB activation in humongous regions (up to twice its size), and a
// steady-state step allocates under 1 MB, so a 64 MiB young generation is plenty. A micro-1 step's
// live set is about 500 MB (pooled activations ~380 MB, weights, gradients and AdamW moments ~92 MB).
// The heap flags sit in jvmArgs, not jvmArgsAppend: bench/run.sh passes its own -jvmArgsAppend, which
// replaces the annotation's.
@Fork(value = 1, jvmArgs = {"-XX:+UseSerialGC", "-Xmx768m", "-Xmn64m"}, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainingStepBench {
    static final int VOCAB = 4096;
    /** The preset; {@code -Dvesper.bench.model=small} measures a larger one (main only; give it more heap). */
    static final String MODEL = System.getProperty("vesper.bench.model", "tiny");
    static final int BATCH = 16;
    static final int SEQ = 128;
    /** FP32 FMA peak of the two cores of this machine, as measured in ../shared/bench/README.md. */
    static final double PEAK_FLOPS = 232e9;

    /** {@code silu} is what the PyTorch anchor runs; {@code era} is VesperLM's default. */
    @Param({"silu", "era"})
    public String activation;

    @Param({"adamw"})
    public String optimizer;

    /**
     * Micro-batches per step: 2 runs the same 16 × 128 tokens per optimizer step as two batches of 8
     * with gradient accumulation, which halves the activations held at once (peak memory).
     */
    @Param({"1", "2"})
    public int micro;

    private Setup fixture;
    private long seed;

    /** Everything a step needs: the model, its optimizer, the step and a fixed batch. */
    static final class Setup {
        final LanguageModel model;
        final Optimizer optimizer;
        final TrainingStep step;
        final int[] ids;
        final int[] targets;
        final ComputeBackend backend;

        private int next;

        Setup(String activation, String optimizerName, int threads, int micro) {
            backend = backend(threads);
            Autograd autograd = new TapeAutograd(backend);
            Map<String, Activation> acts = Map.of("silu", new SiluActivation(), "era", new EraActivation());
            model = new VesperModelFactory(acts::get)
                    .create(ModelConfig.preset(MODEL, VOCAB).with("activation", activation), 0);
            OptimizerFactory f = optimizerName.equals("velvet") ? new VelvetFactory() : new AdamWFactory();
            optimizer = f.create(model.trainableParameters(), Map.of("lr", 3e-4, "weight_decay", 0.1));
            if (micro <= 0 || BATCH % micro != 0) {
                throw new IllegalArgumentException("micro must divide the batch of " + BATCH + ", got " + micro);
            }
            step = new TrainingStep(autograd, BATCH / micro, SEQ, micro, 1.0);
            ids = random(BATCH * SEQ, 1);
            targets = random(BATCH * SEQ, 2);
        }

        float run(long seed) {
            StepRunner.BatchSource source = (in, tg) -> {
                int from = next * in.length;
                System.arraycopy(ids, from, in, 0, in.length);
                System.arraycopy(targets, from, tg, 0, tg.length);
                next = (next + 1) % (ids.length / in.length);
            };
            return (float) step.run(model, optimizer, source, seed, 3e-4).result().loss();
        }
    }

    /** The CPU backend, or with {@code -Dvesper.bench.backend=cuda} the CUDA one in front of it. */
    static ComputeBackend backend(int threads) {
        ComputeBackend cpu = threads > 0 ? new CpuBackend(threads, true) : new CpuBackend();
        if (!"cuda".equals(System.getProperty("vesper.bench.backend"))) {
            return cpu;
        }
        try {
            return new CudaBackend(CudaDevice.open(0), cpu);
        } catch (CudaUnavailableException e) {
            throw new IllegalStateException("vesper.bench.backend=cuda, but " + e.getMessage(), e);
        }
    }

    @org.openjdk.jmh.annotations.Setup
    public void setup() {
        fixture = new Setup(activation, optimizer, 0, micro);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * SEQ)
    public float trainingStep() {
        return fixture.run(seed++);
    }

    /** Training FLOPs per token as torch_gpt_bench.py counts them: 3 × forward matmuls. */
    static double flopsPerToken(ModelConfig c, int seq) {
        double d = c.dModel();
        double fwd = 2 * (c.layers() * 12 * d * d + d * c.vocabSize()) + c.layers() * 4.0 * seq * d;
        return 3 * fwd;
    }

    static int[] random(int n, long seed) {
        Random r = new Random(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(VOCAB);
        }
        return a;
    }

    /**
     * {@code java -XX:+UseSerialGC -Xmx768m -Xmn64m --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
     * dev.vesper.bench.train.TrainingStepBench [activation] [optimizer] [steps] [threads] [micro]}: median
     * tokens/s over the steps after 3 warm-up steps, MFU, and the peak RSS (VmHWM) of this JVM. The heap
     * is the JMH fork's: a micro-1 step keeps about 500 MB live, so 768 MiB leaves margin.
     */
    public static void main(String[] args) throws Exception {
        String activation = args.length > 0 ? args[0] : "silu";
        String optimizer = args.length > 1 ? args[1] : "adamw";
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int micro = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Setup s = new Setup(activation, optimizer, threads, micro);
        System.out.println("# backend: " + s.backend.describe());
        double[] ms = new double[steps];
        float loss = 0;
        for (int i = -3; i < steps; i++) {
            long t0 = System.nanoTime();
            loss = s.run(i + 3);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        double median = ms[steps / 2];
        double tokS = BATCH * SEQ / (median / 1000);
        double mfu = tokS * flopsPerToken(s.model.config(), SEQ) / PEAK_FLOPS;
        System.out.printf("train,%s,%d,%s,%s,%dx%d,%d,tok_s_median=%.0f,tok_s_min=%.0f,tok_s_max=%.0f,step_ms_median=%.1f,"
                        + "GFLOP_per_step=%.1f,MFU=%.1f%% of %.0f GFLOP/s,peak_rss_MiB=%d,last_loss=%.4f%n",
                MODEL, VOCAB, activation, optimizer, micro, BATCH / micro, SEQ, tokS, BATCH * SEQ / (ms[steps - 1] / 1000),
                BATCH * SEQ / (ms[0] / 1000), median, flopsPerToken(s.model.config(), SEQ) * BATCH * SEQ / 1e9,
                100 * mfu, PEAK_FLOPS / 1e9, peakRssMiB(), loss);
    }

    static long peakRssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}

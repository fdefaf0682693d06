package dev.vesper.bench.model;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
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
 * Forward and backward of VesperLM {@code tiny} (V = 4096) at batch 16 × seq 128, through the graph:
 * embedding to mean cross-entropy and back, gradients zeroed between steps; the score is tokens per
 * second (2,048 tokens per operation). No optimizer step: the whole training step is the trainer's
 * benchmark. Compare with {@code torch_gpt_bench.py --cfg tiny --vocab 4096 --batch 16 --seq 128 --threads 1},
 * which also runs AdamW, in the same sitting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ModelStepBench {
    static final int BATCH = 16;
    static final int SEQ = 128;

    /** {@code silu} is what the PyTorch anchor runs; {@code era} is VesperLM's default. */
    @Param({"silu", "era"})
    public String activation;

    private Autograd autograd;
    private LanguageModel model;
    private IntTensor ids;
    private IntTensor targets;
    private long seed;

    @Setup
    public void setup() {
        autograd = ModelFixture.autograd();
        model = ModelFixture.tiny(activation);
        ids = IntTensor.wrap(ModelFixture.randomIds(BATCH * SEQ, 1), BATCH, SEQ);
        targets = IntTensor.wrap(ModelFixture.randomIds(BATCH * SEQ, 2), BATCH, SEQ);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH * SEQ)
    public float forwardBackward() {
        float loss;
        try (Graph g = autograd.record(seed++)) {
            CrossEntropy ce = g.crossEntropy(model.forward(g, ids), targets, -100);
            g.backward(ce.loss());
            loss = ce.lossValue();
        }
        for (Parameter p : model.trainableParameters()) {
            p.value().zeroGrad();
        }
        return loss;
    }
}

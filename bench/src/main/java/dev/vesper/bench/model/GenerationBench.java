package dev.vesper.bench.model;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
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
 * Greedy generation at batch 1 with the KV cache, VesperLM {@code tiny} (V = 4096): a 16-token prompt,
 * 200 new tokens; the score is generated tokens per second, the prompt's prefill (one block through the decoder) included (the PyTorch
 * anchor, {@code torch_gpt_bench.py --gen 200} with {@code OPENBLAS_NUM_THREADS=1}, excludes it, so
 * this is the stricter figure).
 *
 * <p>The fork asks for transparent huge pages, as {@code bin/vesper generate} and {@code chat} do: decoding
 * streams every weight once per token, and 4 KiB pages cost a TLB miss per page of that stream. Compare
 * without them by passing {@code -jvmArgs -XX:-UseTransparentHugePages} (which replaces the annotation's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-XX:+UseTransparentHugePages"}, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GenerationBench {
    static final int TOKENS = 200;

    @Param({"silu", "era"})
    public String activation;

    /**
     * 2: wide products and the attention heads may be split with one helper thread (the decoder measures
     * and keeps the helper unless one thread is clearly faster); 1: the calling thread only.
     */
    @Param({"1", "2"})
    public int threads;

    private LanguageModel model;
    private int[] prompt;

    @Setup
    public void setup() {
        System.setProperty("vesper.decode.threads", Integer.toString(threads));
        model = ModelFixture.tiny(activation);
        prompt = ModelFixture.randomIds(16, 3);
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public int[] greedy() {
        int[] out = model.generate(prompt, SamplingOptions.greedy(TOKENS), null);
        if (out.length != TOKENS) {
            throw new IllegalStateException("generated " + out.length + " tokens");
        }
        return out;
    }
}

package dev.vesper.bench.data;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Byte-level BPE on tinyshakespeare (1.1 MB): training to 4,096 ids, and encoding the whole text
 * with that tokenizer, single-threaded. {@code encodeWarm} reuses one tokenizer (its pre-token cache
 * full, as in a long tokenization run); {@code encodeCold} starts each pass from a freshly loaded
 * tokenizer, so every distinct word is merged once. MB/s = 1.115 / (seconds per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizerBench {
    private final BpeTokenizerFactory factory = new BpeTokenizerFactory();
    private String text;
    private byte[] bytes;
    private Tokenizer trained;
    private Tokenizer fresh;
    private Tokenizer byteTokenizer;
    private int[] ids;

    @Setup(Level.Trial)
    public void load() throws Exception {
        text = Corpus.text();
        bytes = text.getBytes(StandardCharsets.UTF_8);
        trained = factory.trainBpe(List.of(text), 4096, List.of("<|endoftext|>"));
        byteTokenizer = factory.bytes(List.of("<|endoftext|>"));
        ids = trained.encodeBytes(bytes);
        System.out.printf("%ncorpus %d bytes, %d BPE tokens (%.2f bytes/token)%n", bytes.length,
                trained.encode(text).length, bytes.length / (double) trained.encode(text).length);
    }

    @Setup(Level.Invocation)
    public void freshTokenizer() {
        fresh = factory.fromJson(trained.toJson(), "bench");
    }

    @Benchmark
    public Tokenizer trainBpe4096() {
        return factory.trainBpe(List.of(text), 4096, List.of("<|endoftext|>"));
    }

    @Benchmark
    public int[] encodeWarm() {
        return trained.encodeBytes(bytes);
    }

    @Benchmark
    public int[] encodeCold() {
        return fresh.encodeBytes(bytes);
    }

    @Benchmark
    public byte[] decode() {
        return trained.decodeBytes(ids);
    }

    @Benchmark
    public int[] encodeBytesTokenizer() {
        return byteTokenizer.encodeBytes(bytes);
    }

}

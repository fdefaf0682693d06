package dev.vesper.bench.data;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.data.DefaultDataService;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The data service on tinyshakespeare: building the token cache (read, tokenize on up to 4 threads,
 * write atomically) and drawing batches (16 x 256) from the memory-mapped cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DataPipelineBench {
    private Path cache;
    private Tokenizer tokenizer;
    private DefaultDataService service;
    private String location;
    private BatchSampler sampler;
    private TokenDataset dataset;
    private final int[] inputs = new int[16 * 256];
    private final int[] targets = new int[16 * 256];

    @Setup
    public void setUp() throws Exception {
        location = Corpus.path().toString();
        tokenizer = new BpeTokenizerFactory().trainBpe(List.of(Corpus.text()), 4096, List.of("<|endoftext|>"));
        service = DefaultDataService.withStandardSources();
        cache = Files.createTempDirectory("vesper-bench-cache");
        dataset = service.tokens(location, null, tokenizer, new DatasetOptions(0.1, true, 1, cache));
        sampler = dataset.sampler(TokenDataset.Split.TRAIN, 16, 256, 1);
    }

    @Benchmark
    public long buildCache() throws Exception {
        Path dir = Files.createTempDirectory(cache, "build");
        try (TokenDataset d = service.tokens(location, null, tokenizer, new DatasetOptions(0.1, true, 1, dir))) {
            return d.tokens(TokenDataset.Split.TRAIN);
        }
    }

    @Benchmark
    public int[] nextBatch16x256() {
        sampler.next(inputs, targets);
        return inputs;
    }

    @TearDown
    public void tearDown() throws Exception {
        dataset.close();
        try (Stream<Path> walk = Files.walk(cache)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

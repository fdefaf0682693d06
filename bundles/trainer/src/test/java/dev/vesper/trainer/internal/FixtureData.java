package dev.vesper.trainer.internal;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.DataService;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * TEMPORARY test fixture standing in for the data bundle's DefaultDataService until it lands:
 * paragraphs of a text file as documents, every tenth held out, packed with end-of-text, random
 * windows drawn from a generator seeded by (seed, batch index) so that seek is exact.
 */
final class FixtureData implements DataService {
    @Override
    public List<String> schemes() {
        return List.of("file");
    }

    @Override
    public ReadSummary documents(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
        String text = Files.readString(Path.of(location));
        String[] paragraphs = text.split("\n\n");
        for (int i = 0; i < paragraphs.length; i++) {
            sink.accept(Document.text(paragraphs[i] + "\n", location + ":" + i));
        }
        return new ReadSummary(paragraphs.length, 0, null, Long.toHexString(text.hashCode()));
    }

    @Override
    public TokenDataset tokens(String location, ReadOptions options, Tokenizer tokenizer, DatasetOptions d)
            throws IOException {
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        int[] n = {0};
        documents(location, options, doc -> {
            List<Integer> into = n[0]++ % 10 == 9 ? validation : train;
            for (int id : tokenizer.encode(doc.text())) {
                into.add(id);
            }
            into.add(tokenizer.endOfText());
        });
        int[] tr = train.stream().mapToInt(Integer::intValue).toArray();
        int[] va = validation.stream().mapToInt(Integer::intValue).toArray();
        return new TokenDataset() {
            @Override
            public long tokens(Split split) {
                return split == Split.TRAIN ? tr.length : va.length;
            }

            @Override
            public long documents(Split split) {
                return split == Split.TRAIN ? n[0] - n[0] / 10 : n[0] / 10;
            }

            @Override
            public BatchSampler sampler(Split split, int batch, int seq, long seed) {
                return new Sampler(split == Split.TRAIN ? tr : va, batch, seq, seed);
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class Sampler implements BatchSampler {
        private final int[] tokens;
        private final int batch;
        private final int seq;
        private final long seed;
        private long position;

        Sampler(int[] tokens, int batch, int seq, long seed) {
            this.tokens = tokens;
            this.batch = batch;
            this.seq = seq;
            this.seed = seed;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public int seq() {
            return seq;
        }

        @Override
        public void next(int[] inputs, int[] targets) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, position++));
            for (int b = 0; b < batch; b++) {
                int start = r.nextInt(tokens.length - seq);
                System.arraycopy(tokens, start, inputs, b * seq, seq);
                System.arraycopy(tokens, start + 1, targets, b * seq, seq);
            }
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long p) {
            position = p;
        }

        @Override
        public long batchesPerEpoch() {
            return Math.max(1, tokens.length / ((long) batch * seq));
        }
    }
}

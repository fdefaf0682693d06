package dev.vesper.data.internal.cache;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tokenizes a source into a cache file. Documents are encoded in batches on a few threads (the
 * tokenizer is thread-safe) and written in their original order.
 */
public final class TokenCacheBuilder {
    private static final int BATCH_CHARS = 1 << 20;

    private TokenCacheBuilder() {
    }

    public static CacheHeader build(Path file, String location, ReadOptions options, DatasetSource source,
                                    Tokenizer tokenizer) throws IOException {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vesper-tokenize");
            t.setDaemon(true);
            return t;
        });
        try (CacheWriter writer = new CacheWriter(file, tokenizer.vocabSize(), tokenizer.endOfText())) {
            Pipeline p = new Pipeline(writer, tokenizer, pool, threads * 2);
            ReadSummary summary;
            try {
                summary = source.read(location, options, p::accept);
                p.flush();
                p.drainAll();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return writer.finish(tokenizer.fingerprint(), summary.fingerprint(), location, summary.badLines(),
                    summary.firstBadLine());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Batches of texts in flight, written back in order. */
    private static final class Pipeline {
        private final CacheWriter writer;
        private final Tokenizer tokenizer;
        private final ExecutorService pool;
        private final int maxInFlight;
        private final List<Future<int[][]>> inFlight = new ArrayList<>();
        private final List<long[]> inFlightBytes = new ArrayList<>();
        private List<String> batch = new ArrayList<>();
        private long batchChars;

        Pipeline(CacheWriter writer, Tokenizer tokenizer, ExecutorService pool, int maxInFlight) {
            this.writer = writer;
            this.tokenizer = tokenizer;
            this.pool = pool;
            this.maxInFlight = maxInFlight;
        }

        void accept(Document d) {
            batch.add(d.text());
            batchChars += d.text().length();
            if (batchChars >= BATCH_CHARS) {
                flush();
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<String> texts = batch;
            batch = new ArrayList<>();
            batchChars = 0;
            long[] bytes = new long[texts.size()];
            inFlightBytes.add(bytes);
            inFlight.add(pool.submit(() -> {
                int[][] out = new int[texts.size()][];
                for (int i = 0; i < out.length; i++) {
                    byte[] utf8 = texts.get(i).getBytes(StandardCharsets.UTF_8);
                    bytes[i] = utf8.length;
                    out[i] = tokenizer.encodeBytes(utf8);
                }
                return out;
            }));
            while (inFlight.size() > maxInFlight) {
                drainOne();
            }
        }

        void drainAll() {
            while (!inFlight.isEmpty()) {
                drainOne();
            }
        }

        private void drainOne() {
            try {
                int[][] docs = inFlight.remove(0).get();
                long[] bytes = inFlightBytes.remove(0);
                for (int i = 0; i < docs.length; i++) {
                    writer.add(docs[i], bytes[i]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new java.io.InterruptedIOException("tokenization interrupted"));
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException("tokenization failed", c);
            }
        }
    }
}

package dev.vesper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.MalformedInputException;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.TokenDataset.Split;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.data.internal.cache.CacheHeader;
import dev.vesper.data.internal.cache.CacheWriter;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultDataServiceTest {
    private static final BpeTokenizerFactory FACTORY = new BpeTokenizerFactory();
    private static Tokenizer bytes;
    private static Tokenizer bpe;

    @TempDir
    Path dir;

    /** Counts reads, to tell a cache hit from a rebuild. */
    static final class CountingSource implements DatasetSource {
        final DatasetSource inner;
        final AtomicInteger reads = new AtomicInteger();

        CountingSource(DatasetSource inner) {
            this.inner = inner;
        }

        @Override
        public String scheme() {
            return inner.scheme();
        }

        @Override
        public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
            reads.incrementAndGet();
            return inner.read(location, options, sink);
        }

        @Override
        public String fingerprint(String location, ReadOptions options) throws IOException {
            return inner.fingerprint(location, options);
        }
    }

    @BeforeAll
    static void tokenizers() {
        bytes = FACTORY.bytes(List.of("<|endoftext|>"));
        bpe = FACTORY.trainBpe(new dev.vesper.data.builtin.StoryCorpus().stories(200), 600, List.of("<|endoftext|>"));
    }

    private DatasetOptions options(double validation, boolean pack) {
        return new DatasetOptions(validation, pack, 7, dir.resolve("cache"));
    }

    private Path corpus(int docs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            sb.append("Document number ").append(i).append(" says hello ").append("x".repeat(i % 17)).append("\n\n");
        }
        Path p = dir.resolve("corpus.txt");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void dispatchesBySchemeWithFilePathsAsDefault() throws Exception {
        DefaultDataService service = DefaultDataService.withStandardSources();
        assertEquals(List.of("builtin", "file", "hf"), service.schemes());
        Path p = corpus(3);
        List<String> seen = new ArrayList<>();
        ReadSummary s = service.documents(p.toString(), null, d -> seen.add(d.text()));
        assertEquals(3, s.documents());
        assertEquals(3, service.documents("file:" + p, null, d -> { }).documents());
        assertEquals(2, service.documents("builtin:stories?count=2", null, d -> { }).documents());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> service.documents("s3://bucket/x", null, d -> { }));
        assertTrue(e.getMessage().contains("\"s3\"") && e.getMessage().contains("builtin, file, hf"), e.getMessage());
        assertEquals("file", DefaultDataService.schemeOf("C:\\data\\x.txt"));
        assertEquals("file", DefaultDataService.schemeOf("relative/x.txt"));
    }

    @Test
    void theDynamicReferenceAddsAndRemovesSources() throws Exception {
        DefaultDataService service = new DefaultDataService();
        assertEquals(List.of(), service.schemes());
        FileSource file = new FileSource();
        service.addSource(file, Map.of(DatasetSource.PROPERTY, "file"));
        assertEquals(List.of("file"), service.schemes());
        service.removeSource(file, Map.of());
        assertEquals(List.of(), service.schemes());
    }

    @Test
    void cachesTokensAndRebuildsWhenSourceOrTokenizerChanges() throws Exception {
        CountingSource counting = new CountingSource(new FileSource());
        DefaultDataService service = new DefaultDataService(List.of(counting));
        Path p = corpus(50);
        try (TokenDataset d = service.tokens(p.toString(), null, bytes, options(0, true))) {
            long expected = Files.size(p) - 50 * 2L + 50; // blank-line separators dropped, one EOT per document
            assertEquals(50, d.documents(Split.TRAIN));
            assertEquals(expected, d.tokens(Split.TRAIN));
            assertEquals(Files.size(p) - 50 * 2L, d.sourceBytes());
        }
        assertEquals(1, counting.reads.get());
        service.tokens(p.toString(), null, bytes, options(0.2, false)).close();
        assertEquals(1, counting.reads.get(), "same source and tokenizer: the cache is reused, whatever the split");

        service.tokens(p.toString(), null, bpe, options(0, true)).close();
        assertEquals(2, counting.reads.get(), "another tokenizer rebuilds");
        Files.writeString(p, Files.readString(p) + "One more document.\n");
        try (TokenDataset d = service.tokens(p.toString(), null, bpe, options(0, true))) {
            assertEquals(3, counting.reads.get(), "a changed source rebuilds");
            assertEquals(51, d.documents(Split.TRAIN));
        }
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "one cache file, no temporary leftovers: " + all);
        }
    }

    @Test
    void writesACompactHeaderedFileAndRebuildsACorruptOne() throws Exception {
        CountingSource counting = new CountingSource(new FileSource());
        DefaultDataService service = new DefaultDataService(List.of(counting));
        Path p = corpus(10);
        service.tokens(p.toString(), null, bytes, options(0, true)).close();
        Path cache = DefaultDataService.cacheFile(p.toString(), ReadOptions.defaults(), options(0, true));
        CacheHeader h = CacheHeader.read(cache);
        assertEquals(2, h.idBytes, "a vocabulary of 257 fits in uint16");
        assertEquals(bytes.fingerprint(), h.tokenizerFingerprint);
        assertEquals(new FileSource().fingerprint(p.toString(), ReadOptions.defaults()), h.sourceFingerprint);
        assertEquals(h.fileSize(), Files.size(cache));
        byte[] raw = Files.readAllBytes(cache);
        assertEquals("VSPRTOKS", new String(raw, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('D', b.getShort(CacheHeader.SIZE), "first token is the first byte of the text");

        Files.write(cache, java.util.Arrays.copyOf(raw, raw.length - 5));
        service.tokens(p.toString(), null, bytes, options(0, true)).close();
        assertEquals(2, counting.reads.get(), "a truncated cache is rebuilt");
        assertEquals(raw.length, Files.size(cache));
    }

    /** A service over a counting file source whose notices are kept, and the cache of a 30-document corpus. */
    private record Damage(DefaultDataService service, CountingSource counting, List<String> notices, Path corpus,
                          Path cache, byte[] intact) {
        TokenDataset open() throws IOException {
            return service.tokens(corpus.toString(), null, bytes, new DatasetOptions(0, true, 7, cache.getParent()));
        }
    }

    private Damage damage() throws IOException {
        CountingSource counting = new CountingSource(new FileSource());
        DefaultDataService service = new DefaultDataService(List.of(counting));
        List<String> notices = new ArrayList<>();
        service.notices = (level, text) -> notices.add(level + " " + text);
        Path p = corpus(30);
        service.tokens(p.toString(), null, bytes, options(0, true)).close();
        Path cache = DefaultDataService.cacheFile(p.toString(), ReadOptions.defaults(), options(0, true));
        return new Damage(service, counting, notices, p, cache, Files.readAllBytes(cache));
    }

    /** The walkthrough's damage: 100 bytes of token data overwritten, so that ids 65535 appear. */
    @Test
    void damagedTokenDataIsFoundAndRebuiltWithAWarningNamingTheFile() throws Exception {
        Damage d = damage();
        byte[] damaged = d.intact().clone();
        java.util.Arrays.fill(damaged, CacheHeader.SIZE + 100, CacheHeader.SIZE + 200, (byte) 0xFF);
        Files.write(d.cache(), damaged);
        try (TokenDataset rebuilt = d.open()) {
            assertEquals(2, d.counting().reads.get(), "the damaged cache is rebuilt, not used");
            int seq = (int) rebuilt.tokens(Split.TRAIN) - 1;
            int[] inputs = new int[seq];
            rebuilt.inOrder(Split.TRAIN, 1, seq, -1).next(inputs, new int[seq]);
            for (int id : inputs) {
                assertTrue(id >= 0 && id < bytes.vocabSize(), "id " + id);
            }
        }
        assertArrayEquals(d.intact(), Files.readAllBytes(d.cache()), "the rebuilt cache holds the right tokens");
        assertEquals(1, d.notices().size(), d.notices().toString());
        String notice = d.notices().get(0);
        assertTrue(notice.startsWith("WARNING " + d.cache() + ": the token cache is damaged")
                && notice.contains("checksum") && notice.endsWith("; rebuilding it"), notice);
    }

    @Test
    void truncatedCachesAndGarbageHeadersAreRebuiltWithAWarning() throws Exception {
        Damage d = damage();
        byte[] garbage = d.intact().clone();
        for (int i = 0; i < CacheHeader.SIZE; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        byte[] flipped = d.intact().clone();
        flipped[32] ^= 0x01; // the document count: still plausible, but no longer the header that was written
        List<byte[]> wrecks = List.of(new byte[0], java.util.Arrays.copyOf(d.intact(), 100),
                java.util.Arrays.copyOf(d.intact(), CacheHeader.SIZE + 10),
                java.util.Arrays.copyOf(d.intact(), d.intact().length - 1), garbage, flipped);
        for (int k = 0; k < wrecks.size(); k++) {
            Files.write(d.cache(), wrecks.get(k));
            d.open().close();
            assertEquals(k + 2, d.counting().reads.get(), "wreck " + k + " is rebuilt");
            assertArrayEquals(d.intact(), Files.readAllBytes(d.cache()), "wreck " + k);
            String notice = d.notices().get(k);
            assertTrue(notice.startsWith("WARNING " + d.cache() + ": the token cache is damaged ("), notice);
        }
        assertTrue(d.notices().get(1).contains("truncated: 100 bytes"), d.notices().get(1));
        assertTrue(d.notices().get(3).contains("truncated"), d.notices().get(3));
        assertTrue(d.notices().get(4).contains("does not begin with a token cache header"), d.notices().get(4));
        assertTrue(d.notices().get(5).contains("header does not match"), d.notices().get(5));
    }

    @Test
    void aTemporaryFileThatAKilledBuildLeftIsRemovedWhenTheCacheIsNextOpened() throws Exception {
        Damage d = damage();
        Path left = Files.writeString(d.cache().resolveSibling("." + d.cache().getFileName() + "4242.tmp"), "half");
        Files.setLastModifiedTime(left, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        d.open().close();
        assertFalse(Files.exists(left));
        assertEquals(1, d.counting().reads.get(), "the cache itself is intact and reused");
        assertEquals(List.of("INFO " + d.cache() + ": removed 1 temporary file that an interrupted build left beside it"),
                d.notices());
    }

    @Test
    void aCacheBuiltWhenTrailingJsonWasDroppedIsRebuiltAndTheFaultSaid() throws Exception {
        Path p = Files.writeString(dir.resolve("two.jsonl"), "{\"text\":\"a\"}{\"text\":\"b\"}\n");
        Path cache = DefaultDataService.cacheFile(p.toString(), ReadOptions.defaults(), options(0, true));
        String before = dev.vesper.data.internal.Hashing.sha256("file-v1|" + ReadOptions.defaults() + "\n|" + Files.size(p)
                + "|" + Files.getLastModifiedTime(p).toMillis() + "\n");
        try (CacheWriter w = new CacheWriter(cache, bytes.vocabSize(), bytes.endOfText())) {
            w.add(bytes.encode("a"), 1);   // what the version that dropped the second object cached
            w.finish(bytes.fingerprint(), before, p.toString());
        }
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> service.tokens(p.toString(), null, bytes, options(0, true)));
        assertTrue(e.getMessage().startsWith(p + ":1:13: content after the JSON value"), e.getMessage());
    }

    @Test
    void anIntactCacheIsReusedSilentlyAndAnEarlierFormatIsRebuiltWithoutAlarm() throws Exception {
        Damage d = damage();
        d.open().close();
        d.open().close();
        assertEquals(1, d.counting().reads.get(), "an intact cache is reused");
        assertEquals(List.of(), d.notices());

        byte[] version2 = d.intact().clone();
        ByteBuffer.wrap(version2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        Files.write(d.cache(), version2);
        d.open().close();
        assertEquals(2, d.counting().reads.get(), "a cache of format 2 is rebuilt");
        assertEquals(List.of("INFO " + d.cache() + ": the token cache is of format 2, this version of Vesper reads"
                + " format 4; rebuilding it"), d.notices());
    }

    @Test
    void usesUint32WhenTheVocabularyIsLarge() throws Exception {
        Tokenizer wide = new WideTokenizer();
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        Path p = corpus(5);
        try (TokenDataset d = service.tokens(p.toString(), null, wide, options(0, true))) {
            BatchSampler s = d.sampler(Split.TRAIN, 2, 8, 1);
            int[] in = new int[16];
            int[] out = new int[16];
            s.next(in, out);
            for (int id : in) {
                assertTrue(id >= 70_000 || id == wide.endOfText(), "id " + id);
            }
        }
        CacheHeader h = CacheHeader.read(DefaultDataService.cacheFile(p.toString(), ReadOptions.defaults(), options(0, true)));
        assertEquals(4, h.idBytes);
    }

    @Test
    void samplesSeededWindowsAndSeeksExactly() throws Exception {
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        Path p = corpus(200);
        try (TokenDataset d = service.tokens(p.toString(), null, bpe, options(0.1, true))) {
            assertEquals(180, d.documents(Split.TRAIN));
            assertEquals(20, d.documents(Split.VALIDATION));
            BatchSampler a = d.sampler(Split.TRAIN, 4, 16, 42);
            BatchSampler b = d.sampler(Split.TRAIN, 4, 16, 42);
            List<int[]> first = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                int[] in = new int[64];
                int[] out = new int[64];
                a.next(in, out);
                for (int row = 0; row < 4; row++) {
                    for (int t = 0; t + 1 < 16; t++) {
                        assertEquals(in[row * 16 + t + 1], out[row * 16 + t], "targets are inputs shifted by one");
                    }
                }
                first.add(in);
            }
            assertEquals(5, a.position());
            b.seek(3);
            int[] in = new int[64];
            b.next(in, new int[64]);
            assertArrayEquals(first.get(3), in, "seek replays the batch drawn at that position");
            BatchSampler c = d.sampler(Split.TRAIN, 4, 16, 43);
            c.next(in, new int[64]);
            assertFalse(java.util.Arrays.equals(first.get(0), in), "another seed draws other windows");
            assertEquals(d.tokens(Split.TRAIN) / 64, a.batchesPerEpoch());
        }
    }

    @Test
    void splitsByDocumentAndPacksWithSeparators() throws Exception {
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        Path p = corpus(100);
        int eot = bytes.endOfText();
        try (TokenDataset d = service.tokens(p.toString(), null, bytes, options(0.25, true))) {
            Set<String> train = docsSeen(d.sampler(Split.TRAIN, 8, 40, 1), eot);
            Set<String> validation = docsSeen(d.sampler(Split.VALIDATION, 8, 40, 1), eot);
            assertFalse(train.isEmpty());
            assertFalse(validation.isEmpty());
            Set<String> both = new HashSet<>(train);
            both.retainAll(validation);
            assertTrue(both.isEmpty(), "no document in both splits: " + both);
            assertEquals(75, d.documents(Split.TRAIN));
            assertEquals(25, d.documents(Split.VALIDATION));
        }
        try (TokenDataset d = service.tokens(p.toString(), null, bytes, options(0.25, false))) {
            BatchSampler s = d.sampler(Split.TRAIN, 8, 20, 3);
            int[] in = new int[160];
            int[] out = new int[160];
            for (int k = 0; k < 20; k++) {
                s.next(in, out);
                for (int id : in) {
                    assertNotEquals(eot, id, "unpacked windows stay inside one document");
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampler(Split.TRAIN, 1, 500, 1));
            assertTrue(e.getMessage().contains("longest document"), e.getMessage());
        }
    }

    @Test
    void anEmptyFileIsNamedAndSaidToHoldNoText() throws Exception {
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        for (String name : List.of("empty.jsonl", "empty.txt", "blank.txt")) {
            Path p = Files.writeString(dir.resolve(name), name.startsWith("blank") ? "\n  \n\n" : "");
            try (TokenDataset d = service.tokens(p.toString(), null, bytes, options(0.1, true))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampler(Split.TRAIN, 1, 128, 1));
                assertEquals(p + ": holds no text (0 documents), so the train split has no window of seq + 1 = 129 tokens",
                        e.getMessage());
            }
        }
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"content\":\"x\"}\n");
        try (TokenDataset d = service.tokens(bad.toString(), ReadOptions.defaults().withSkipBadLines(true), bytes,
                options(0, true))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampler(Split.TRAIN, 1, 8, 1));
            assertTrue(e.getMessage().startsWith(bad + ": holds no text (0 documents; 1 bad line skipped, the first: " + bad
                    + ":1:1: expected an object"), e.getMessage());
        }
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "short\n");
        try (TokenDataset d = service.tokens(tiny.toString(), null, bytes, options(0, true))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampler(Split.TRAIN, 1, 128, 1));
            assertTrue(e.getMessage().startsWith(tiny + ": the train split has no window of seq + 1 = 129 tokens (1 document,"),
                    e.getMessage());
        }
    }

    /** The document numbers seen in packed windows ("Document number N"). */
    private static Set<String> docsSeen(BatchSampler s, int eot) {
        Set<String> seen = new HashSet<>();
        int[] in = new int[s.batch() * s.seq()];
        int[] out = new int[in.length];
        boolean crossed = false;
        for (int k = 0; k < 30; k++) {
            s.next(in, out);
            for (int row = 0; row < s.batch(); row++) {
                StringBuilder sb = new StringBuilder();
                for (int t = 0; t < s.seq(); t++) {
                    int id = in[row * s.seq() + t];
                    sb.append(id == eot ? '|' : (char) id);
                }
                crossed |= sb.indexOf("|") >= 0;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("number (\\d+) ").matcher(sb);
                while (m.find()) {
                    seen.add(m.group(1));
                }
            }
        }
        assertTrue(crossed, "packed windows cross document separators");
        return seen;
    }

    @Test
    void theCacheHoldsExactlyTheEncodedDocuments() throws Exception {
        String shared = System.getProperty("vesper.shared");
        assertTrue(shared != null, "vesper.shared is not set (surefire sets it)");
        Path corpus = Path.of(shared, "data", "tinyshakespeare.txt");
        assertTrue(Files.isRegularFile(corpus), "shared corpus missing: " + corpus);
        DefaultDataService service = new DefaultDataService(List.of(new FileSource()));
        List<String> docs = new ArrayList<>();
        service.documents(corpus.toString(), null, d -> docs.add(d.text()));
        service.tokens(corpus.toString(), null, bpe, options(0, true)).close();
        Path file = DefaultDataService.cacheFile(corpus.toString(), ReadOptions.defaults(), options(0, true));
        CacheHeader h = CacheHeader.read(file);
        assertEquals(docs.size(), h.documents);
        dev.vesper.data.internal.cache.MappedTokens m = dev.vesper.data.internal.cache.MappedTokens.open(file, 1 << 16);
        long[] starts = m.documentStarts();
        for (int i = 0; i < docs.size(); i++) {
            int[] ids = new int[(int) (starts[i + 1] - starts[i])];
            m.read(starts[i], ids, 0, ids.length);
            assertEquals(bpe.endOfText(), ids[ids.length - 1]);
            assertEquals(docs.get(i), bpe.decode(java.util.Arrays.copyOf(ids, ids.length - 1)), "document " + i);
        }
    }

    @Test
    void tokenizesTheBuiltInCorpusForTraining() throws Exception {
        DefaultDataService service = DefaultDataService.withStandardSources();
        try (TokenDataset d = service.tokens("builtin:stories?count=300", null, bpe, options(0.05, true))) {
            assertEquals(285, d.documents(Split.TRAIN));
            assertEquals(15, d.documents(Split.VALIDATION));
            assertTrue(d.tokens(Split.TRAIN) > 300 * 100);
            int[] in = new int[4 * 64];
            d.sampler(Split.VALIDATION, 4, 64, 9).next(in, new int[in.length]);
            assertTrue(bpe.decode(in).length() > 64);
        }
    }

    /** A tokenizer whose ids do not fit in 16 bits. */
    static final class WideTokenizer implements Tokenizer {
        @Override
        public String kind() {
            return "wide";
        }

        @Override
        public int vocabSize() {
            return 70_257;
        }

        @Override
        public int[] encode(String text) {
            return encodeBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public int[] encodeBytes(byte[] utf8) {
            int[] ids = new int[utf8.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 70_000 + (utf8[i] & 0xFF);
            }
            return ids;
        }

        @Override
        public String decode(int[] ids) {
            return new String(decodeBytes(ids), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public byte[] decodeBytes(int[] ids) {
            byte[] b = new byte[ids.length];
            for (int i = 0; i < ids.length; i++) {
                b[i] = (byte) (ids[i] - 70_000);
            }
            return b;
        }

        @Override
        public Map<String, Integer> specialTokens() {
            return Map.of("<|endoftext|>", 7);
        }

        @Override
        public int endOfText() {
            return 7;
        }

        @Override
        public String toJson() {
            return "{}";
        }

        @Override
        public String fingerprint() {
            return "wide-1";
        }
    }
}

package dev.vesper.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BpeTokenizerFactoryTest {
    private static final List<String> SPECIALS = List.of("<|endoftext|>", "<|pad|>");
    private static final BpeTokenizerFactory FACTORY = new BpeTokenizerFactory();
    private static Tokenizer trained;

    @BeforeAll
    static void train() throws Exception {
        String text = TestTexts.shakespeare().substring(0, 300_000);
        trained = FACTORY.trainBpe(List.of(text.split("\n\n")), 1024, SPECIALS);
    }

    @Test
    void trainsToTheRequestedSizeWithSpecialsAtTheEnd() {
        assertEquals("bpe", trained.kind());
        assertEquals(1024, trained.vocabSize());
        assertEquals(1022, trained.specialTokens().get("<|endoftext|>"));
        assertEquals(1023, trained.specialTokens().get("<|pad|>"));
        assertEquals(1022, trained.endOfText());
    }

    @Test
    void compressesEnglish() throws Exception {
        String sample = TestTexts.shakespeare().substring(500_000, 600_000);
        int[] ids = trained.encode(sample);
        double bytesPerToken = sample.getBytes(StandardCharsets.UTF_8).length / (double) ids.length;
        assertTrue(bytesPerToken > 2.0, "bytes per token " + bytesPerToken);
        assertEquals(sample, trained.decode(ids));
    }

    @Test
    void roundTripsVariedText() {
        for (String t : TestTexts.varied()) {
            assertEquals(t, trained.decode(trained.encode(t)), () -> "round trip of " + t);
            assertArrayEquals(t.getBytes(StandardCharsets.UTF_8), trained.decodeBytes(trained.encode(t)));
        }
    }

    @Test
    void roundTripsArbitraryBytesIncludingInvalidUtf8() {
        Tokenizer bytes = FACTORY.bytes(SPECIALS);
        SplittableRandom r = new SplittableRandom(11);
        for (int k = 0; k < 200; k++) {
            byte[] b = new byte[r.nextInt(300)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : "ab c\n'é".getBytes(StandardCharsets.UTF_8)[r.nextInt(8)]);
            }
            assertArrayEquals(b, trained.decodeBytes(trained.encodeBytes(b)));
            assertArrayEquals(b, bytes.decodeBytes(bytes.encodeBytes(b)));
        }
        byte[] invalid = {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertArrayEquals(invalid, trained.decodeBytes(trained.encodeBytes(invalid)));
        assertTrue(trained.decode(trained.encodeBytes(invalid)).contains("\uFFFD"));
    }

    @Test
    void isThreadSafeAndItsWordCacheSurvivesOverflow() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            sb.append(' ');
            int len = 1 + r.nextInt(9);
            for (int k = 0; k < len; k++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        String many = sb.toString();
        Tokenizer fresh = FACTORY.fromJson(trained.toJson(), "fresh");
        int[] expected = fresh.encode(many);
        assertEquals(many, fresh.decode(expected), "more distinct words than the cache holds");
        assertArrayEquals(expected, fresh.encode(many));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> fresh.encode(many)));
            }
            for (java.util.concurrent.Future<int[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void encodesValidUtf8TheSameFromStringOrBytes() {
        for (String t : TestTexts.varied()) {
            assertArrayEquals(trained.encode(t), trained.encodeBytes(t.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void cutsSpecialTokensOut() {
        int[] ids = trained.encode("to be<|endoftext|>or not<|pad|>");
        assertEquals(1022, ids[indexOf(ids, 1022)]);
        assertEquals(1023, ids[ids.length - 1]);
        assertEquals("to be<|endoftext|>or not<|pad|>", trained.decode(ids));
        int[] plain = trained.encode("<|endoftext");
        assertTrue(Arrays.stream(plain).allMatch(id -> id < 1022), "an incomplete special is plain text");
    }

    @Test
    void byteTokenizerHas256IdsThenSpecials() {
        Tokenizer bytes = FACTORY.bytes(SPECIALS);
        assertEquals("byte", bytes.kind());
        assertEquals(258, bytes.vocabSize());
        assertArrayEquals(new int[] {'h', 'i', 256, 0xC3, 0xA9}, bytes.encode("hi<|endoftext|>é"));
        assertEquals(256, bytes.endOfText());
        Tokenizer again = FACTORY.fromJson(bytes.toJson(), "bytes.json");
        assertEquals("byte", again.kind());
        assertEquals(bytes.fingerprint(), again.fingerprint());
    }

    @Test
    void jsonRoundTripKeepsIdsAndFingerprint() throws Exception {
        Tokenizer again = FACTORY.fromJson(trained.toJson(), "trained.json");
        assertEquals(trained.fingerprint(), again.fingerprint());
        assertEquals(trained.vocabSize(), again.vocabSize());
        String sample = TestTexts.shakespeare().substring(0, 20_000);
        assertArrayEquals(trained.encode(sample), again.encode(sample));
        for (String t : TestTexts.varied()) {
            assertArrayEquals(trained.encode(t), again.encode(t));
        }
    }

    @Test
    void trainingIsDeterministicAndFingerprintsDiffer() throws Exception {
        String text = TestTexts.shakespeare().substring(0, 100_000);
        Tokenizer a = FACTORY.trainBpe(List.of(text), 400, List.of("<|endoftext|>"));
        Tokenizer b = FACTORY.trainBpe(List.of(text), 400, List.of("<|endoftext|>"));
        Tokenizer c = FACTORY.trainBpe(List.of(text), 401, List.of("<|endoftext|>"));
        assertEquals(a.toJson(), b.toJson());
        assertNotEquals(a.fingerprint(), c.fingerprint());
        assertNotEquals(a.fingerprint(), FACTORY.bytes(List.of("<|endoftext|>")).fingerprint());
    }

    @Test
    void stopsWhenTheCorpusRunsOutOfPairs() {
        Tokenizer t = FACTORY.trainBpe(List.of("abab abab"), 5000, List.of());
        assertTrue(t.vocabSize() < 270, "vocab " + t.vocabSize());
        assertEquals("abab abab", t.decode(t.encode("abab abab")));
        assertEquals(2, t.encode("abab abab").length);
    }

    @Test
    void rejectsWhatItCannotReproduce() {
        String good = trained.toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FACTORY.fromJson(good.replace("\"normalizer\" : null", "\"normalizer\" : {\"type\":\"NFC\"}"), "x.json"));
        assertTrue(e.getMessage().startsWith("x.json: normalizer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FACTORY.fromJson(good.replace("\"type\" : \"BPE\"", "\"type\" : \"WordPiece\""), "y.json"));
        assertTrue(e.getMessage().contains("y.json: model.type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FACTORY.fromJson("{\"model\": ", "z.json"));
        assertTrue(e.getMessage().startsWith("z.json:1:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FACTORY.fromJson(
                "{\"pre_tokenizer\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},"
                        + "\"merges\":[\"a b\"]}}", "m.json"));
        assertTrue(e.getMessage().contains("m.json: model.merges[0]: \"ab\" is not in the vocabulary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trained.decode(new int[] {5000}));
        assertThrows(IllegalArgumentException.class, () -> FACTORY.trainBpe(List.of("x"), 100, List.of()));
    }

    @Test
    void refusesAVocabularyWithAGapNamingTheFileAndTheMissingIds() {
        String head = "{\"pre_tokenizer\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FACTORY.fromJson(head + "{\"a\":0,\"b\":1,\"c\":2,\"d\":3,\"e\":4,\"f\":6}}}", "runs/x/tokenizer.json"));
        assertEquals("runs/x/tokenizer.json: model.vocab: no token has id 5 (ids must run from 0 to 6 without gaps,"
                + " in model.vocab or added_tokens)", e.getMessage());
        String added = ",\"added_tokens\":[{\"id\":5,\"content\":\"<|endoftext|>\",\"special\":true}]}";
        e = assertThrows(IllegalArgumentException.class, () -> FACTORY.fromJson(head + "{\"a\":0,\"b\":1}}" + added, "y.json"));
        assertEquals("y.json: model.vocab: no token has ids 2, 3, 4 (ids must run from 0 to 5 without gaps,"
                + " in model.vocab or added_tokens)", e.getMessage());
        Tokenizer filled = FACTORY.fromJson(head + "{\"a\":0,\"b\":1,\"c\":2,\"d\":3,\"e\":4,\"f\":6}}" + added, "z.json");
        assertEquals(7, filled.vocabSize(), "an added token outside the model vocabulary fills its id");
        assertEquals("<|endoftext|>", filled.decode(new int[] {5}));
    }

    @Test
    void refusesAnAddedTokenThatTakesAnotherTokensId() {
        String head = "{\"pre_tokenizer\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":"
                + "{\"a\":0,\"b\":1,\"c\":2}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FACTORY.fromJson(
                head + ",\"added_tokens\":[{\"id\":1,\"content\":\"<|endoftext|>\",\"special\":true}]}", "t.json"));
        assertEquals("t.json: added_tokens[0]: id 1 is taken by \"b\" in model.vocab; give \"<|endoftext|>\" an id of"
                + " its own", e.getMessage());
        // the same token in both, as Hugging Face writes them, is one token
        Tokenizer both = FACTORY.fromJson("{\"pre_tokenizer\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\","
                + "\"vocab\":{\"a\":0,\"<|endoftext|>\":1}},\"added_tokens\":[{\"id\":1,\"content\":\"<|endoftext|>\","
                + "\"special\":true}]}", "u.json");
        assertEquals(2, both.vocabSize());
    }

    @Test
    void readsBackATokenLongerThanJacksonsDefaultNameLimit() {
        // one unbroken word of 60,000 bytes trains to a single token: a vocab key over 50,000 chars
        String word = "中文".repeat(10_000);
        Tokenizer t = FACTORY.trainBpe(List.of(word), 5000, List.of("<|endoftext|>"));
        assertEquals(1, t.encode(word).length);
        Tokenizer again = FACTORY.fromJson(t.toJson(), "long.json");
        assertEquals(t.fingerprint(), again.fingerprint());
        assertArrayEquals(t.encode(word), again.encode(word));
        assertEquals(word, again.decode(again.encode(word)));
    }

    @Test
    void badJsonIsReportedWithoutJacksonInternals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FACTORY.fromJson("{\"model\": [1, 2}", "a.json"));
        assertEquals("a.json:1:16: not valid JSON: Unexpected close marker '}': expected ']'"
                + " (for Array starting at line 1, column 11)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FACTORY.fromJson("[".repeat(1001), "deep.json"));
        // a limit error has no location of its own: the parser's position, just past the 1001st '['
        assertEquals("deep.json:1:1002: not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)",
                e.getMessage());
    }

    @Test
    void longRunsMergeLikeShortOnes() {
        // words over the quadratic limit take the heap path; cut into pieces they must agree with
        // the same text spelled short enough for the simple path
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("the");
        }
        String longWord = sb.toString();
        int[] ids = trained.encode(longWord);
        assertEquals(longWord, trained.decode(ids));
        List<Integer> reference = new ArrayList<>();
        for (int id : reference(trained, longWord)) {
            reference.add(id);
        }
        assertEquals(reference, Arrays.stream(ids).boxed().toList());
    }

    /** Textbook BPE from the JSON merges: lowest rank first, leftmost on ties. */
    private static int[] reference(Tokenizer t, String word) {
        com.fasterxml.jackson.databind.JsonNode model;
        try {
            model = new com.fasterxml.jackson.databind.ObjectMapper().readTree(t.toJson()).get("model");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<String> merges = new ArrayList<>();
        model.get("merges").forEach(m -> merges.add(m.asText()));
        List<String> symbols = new ArrayList<>();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            symbols.add(String.valueOf(dev.vesper.tokenizer.internal.ByteLevel.charOf(b)));
        }
        while (true) {
            int best = Integer.MAX_VALUE;
            int pos = -1;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                int r = merges.indexOf(symbols.get(i) + " " + symbols.get(i + 1));
                if (r >= 0 && r < best) {
                    best = r;
                    pos = i;
                }
            }
            if (pos < 0) {
                break;
            }
            symbols.set(pos, symbols.get(pos) + symbols.remove(pos + 1));
        }
        return symbols.stream().mapToInt(s -> model.get("vocab").get(s).asInt()).toArray();
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}

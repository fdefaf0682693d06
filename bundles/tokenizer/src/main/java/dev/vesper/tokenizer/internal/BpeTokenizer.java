package dev.vesper.tokenizer.internal;

import dev.vesper.api.data.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level BPE as Hugging Face tokenizers runs it: added tokens are cut out first, the rest is
 * pre-tokenized GPT-2 style, each pre-token's bytes become byte-level symbols, and merges are applied
 * lowest rank first (leftmost on ties). The byte tokenizer is the same thing with no merges.
 */
public final class BpeTokenizer implements Tokenizer {
    /** An added token: specials such as {@code <|endoftext|>} are cut out of the text before BPE. */
    public record Added(int id, String content, boolean special) {
    }

    /** Pre-tokenizer and model switches read from, and written back to, tokenizer.json. */
    public record Options(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex, boolean ignoreMerges,
                          String unkToken, boolean fuseUnk) {
        public static Options gpt2() {
            return new Options(false, true, true, false, null, false);
        }
    }

    private static final int NAIVE_MERGE_LIMIT = 48;
    private static final String[] END_OF_TEXT = {"<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>"};

    private final String kind;
    private final String[] vocab;
    private final Map<String, Integer> vocabIds;
    private final int[][] merges;
    private final List<Added> added;
    private final Options options;
    private final byte[][] idBytes;
    private final int[] byteIds = new int[256];
    private final PairMap mergeRank;
    private final SpecialMatcher matcher;
    private final Map<String, Integer> specials;
    private final int unkId;
    private final int endOfText;
    private final int vocabSize;
    private final ThreadLocal<WordCache> cache = ThreadLocal.withInitial(WordCache::new);
    private volatile String json;
    private volatile String fingerprint;

    /**
     * @param vocab  model vocabulary by id, byte-level strings (null for ids only added tokens use)
     * @param merges (left id, right id, result id) in rank order
     */
    public BpeTokenizer(String kind, String[] vocab, int[][] merges, List<Added> added, Options options) {
        this.kind = kind;
        this.vocab = vocab.clone();
        this.merges = merges.clone();
        this.added = List.copyOf(added);
        this.options = options;
        this.vocabIds = new HashMap<>(vocab.length * 2);
        int size = vocab.length;
        for (Added a : added) {
            size = Math.max(size, a.id() + 1);
        }
        this.vocabSize = size;
        this.idBytes = new byte[size][];
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id] != null) {
                vocabIds.put(vocab[id], id);
                idBytes[id] = ByteLevel.decode(vocab[id]);
            }
        }
        Map<String, Integer> specialMap = new LinkedHashMap<>();
        List<String> contents = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (Added a : added) {
            idBytes[a.id()] = a.content().getBytes(StandardCharsets.UTF_8);
            contents.add(a.content());
            ids.add(a.id());
            if (a.special()) {
                specialMap.put(a.content(), a.id());
            }
        }
        this.specials = Collections.unmodifiableMap(specialMap);
        this.matcher = new SpecialMatcher(contents, ids);
        for (int b = 0; b < 256; b++) {
            Integer id = vocabIds.get(String.valueOf(ByteLevel.charOf(b)));
            byteIds[b] = id == null ? -1 : id;
        }
        this.mergeRank = new PairMap(merges.length);
        for (int rank = 0; rank < merges.length; rank++) {
            mergeRank.put(merges[rank][0], merges[rank][1], rank);
        }
        Integer unk = options.unkToken() == null ? null : vocabIds.get(options.unkToken());
        this.unkId = unk == null ? -1 : unk;
        int eot = -1;
        for (String name : END_OF_TEXT) {
            Integer id = specialMap.get(name);
            if (id != null) {
                eot = id;
                break;
            }
        }
        this.endOfText = eot;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text) {
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int[] encodeBytes(byte[] text) {
        IntBuffer out = new IntBuffer(text.length / 3 + 16);
        int segment = 0;
        if (!matcher.isEmpty()) {
            for (int p = 0; p < text.length; ) {
                int m = matcher.match(text, p, text.length);
                if (m < 0) {
                    p++;
                    continue;
                }
                encodeSegment(text, segment, p, out);
                out.add(matcher.id(m));
                p += matcher.length(m);
                segment = p;
            }
        }
        encodeSegment(text, segment, text.length, out);
        return out.toArray();
    }

    private void encodeSegment(byte[] text, int from, int to, IntBuffer out) {
        if (from >= to) {
            return;
        }
        if (options.addPrefixSpace() && text[from] != ' ') {
            byte[] spaced = new byte[to - from + 1];
            spaced[0] = ' ';
            System.arraycopy(text, from, spaced, 1, to - from);
            text = spaced;
            from = 0;
            to = spaced.length;
        }
        if (merges.length == 0 && !options.ignoreMerges()) {
            appendSymbols(text, from, to, out);
        } else if (!options.useRegex()) {
            encodeWord(text, from, to, out);
        } else {
            final IntBuffer sink = out;
            PreTokenizer.split(text, from, to, (b, f, t) -> encodeWord(b, f, t, sink));
        }
    }

    private void encodeWord(byte[] text, int from, int to, IntBuffer out) {
        if (to - from > WordCache.MAX_WORD) {
            int[] ids = bpe(text, from, to);
            out.addAll(ids, ids.length);
            return;
        }
        WordCache words = cache.get();
        int h = WordCache.hash(text, from, to);
        int[] ids = words.get(text, from, to, h);
        if (ids == null) {
            ids = bpe(text, from, to);
            words.put(text, from, to, h, ids);
        }
        out.addAll(ids, ids.length);
    }

    private int rank(int left, int right) {
        int r = mergeRank.get(left, right);
        return r < 0 ? Integer.MAX_VALUE : r;
    }

    /** Byte symbols without merges; bytes missing from the vocabulary become unk or are dropped. */
    private void appendSymbols(byte[] text, int from, int to, IntBuffer out) {
        boolean lastUnk = false;
        for (int i = from; i < to; i++) {
            int id = byteIds[text[i] & 0xFF];
            if (id >= 0) {
                out.add(id);
                lastUnk = false;
            } else if (unkId >= 0 && !(options.fuseUnk() && lastUnk)) {
                out.add(unkId);
                lastUnk = true;
            }
        }
    }

    /** The byte symbols of a word, straight into an array when every byte is in the vocabulary. */
    private int[] symbols(byte[] text, int from, int to) {
        int[] s = new int[to - from];
        for (int i = from; i < to; i++) {
            int id = byteIds[text[i] & 0xFF];
            if (id < 0) {
                IntBuffer some = new IntBuffer(to - from);
                appendSymbols(text, from, to, some);
                return some.toArray();
            }
            s[i - from] = id;
        }
        return s;
    }

    private int[] bpe(byte[] text, int from, int to) {
        if (options.ignoreMerges()) {
            Integer whole = vocabIds.get(ByteLevel.encode(text, from, to));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] s = symbols(text, from, to);
        int n = s.length;
        if (n > NAIVE_MERGE_LIMIT) {
            return LongWordMerger.merge(s, mergeRank, merges);
        }
        // ranks[i] is the rank of the pair (s[i], s[i+1]), or MAX_VALUE: a merge changes only its neighbours
        int[] ranks = new int[Math.max(0, n - 1)];
        for (int i = 0; i + 1 < n; i++) {
            ranks[i] = rank(s[i], s[i + 1]);
        }
        while (n > 1) {
            int best = 0;
            for (int i = 1; i + 1 < n; i++) {
                if (ranks[i] < ranks[best]) {
                    best = i;
                }
            }
            if (ranks[best] == Integer.MAX_VALUE) {
                break;
            }
            s[best] = merges[ranks[best]][2];
            System.arraycopy(s, best + 2, s, best + 1, n - best - 2);
            System.arraycopy(ranks, best + 1, ranks, best, n - best - 2);
            n--;
            if (best + 1 < n) {
                ranks[best] = rank(s[best], s[best + 1]);
            }
            if (best > 0) {
                ranks[best - 1] = rank(s[best - 1], s[best]);
            }
        }
        return n == s.length ? s : java.util.Arrays.copyOf(s, n);
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) {
            total += bytesOf(id).length;
        }
        byte[] out = new byte[total];
        int p = 0;
        for (int id : ids) {
            byte[] b = idBytes[id];
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        return out;
    }

    private byte[] bytesOf(int id) {
        if (id < 0 || id >= vocabSize || idBytes[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (size " + vocabSize + ")");
        }
        return idBytes[id];
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    @Override
    public int endOfText() {
        return endOfText;
    }

    @Override
    public String toJson() {
        String j = json;
        if (j == null) {
            j = TokenizerJson.write(this);
            json = j;
        }
        return j;
    }

    @Override
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
                StringBuilder hex = new StringBuilder();
                for (byte b : digest) {
                    hex.append(String.format("%02x", b & 0xFF));
                }
                f = hex.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            fingerprint = f;
        }
        return f;
    }

    /** The model vocabulary by id (byte-level strings; null where only an added token has the id). */
    String[] vocab() {
        return vocab;
    }

    int[][] merges() {
        return merges;
    }

    List<Added> added() {
        return added;
    }

    Options options() {
        return options;
    }

    @Override
    public String toString() {
        return kind + " tokenizer, " + vocabSize + " ids, " + merges.length + " merges, specials " + specials.keySet();
    }
}

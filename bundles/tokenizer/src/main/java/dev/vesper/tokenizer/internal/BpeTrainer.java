package dev.vesper.tokenizer.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Trains byte-level BPE. Words (pre-tokens) are counted once; pair counts are kept incrementally,
 * with the words each pair occurs in, so that a merge only touches the words that contain it; a
 * max-heap with lazy invalidation picks the next pair (highest count, then smallest ids).
 * Ids: 0-255 are the bytes, then one id per new token in merge order, then the special tokens.
 */
public final class BpeTrainer {
    private static final class Pair {
        long count;
        int[] words = new int[4];
        int nwords;

        void addWord(int w) {
            if (nwords > 0 && words[nwords - 1] == w) {
                return;
            }
            if (nwords == words.length) {
                words = Arrays.copyOf(words, nwords * 2);
            }
            words[nwords++] = w;
        }
    }

    private int[][] words;
    private int[] lengths;
    private long[] freqs;
    private final HashMap<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> a[1] != b[1]
            ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));

    /** Trains to {@code vocabSize} ids in all (specials included), or fewer if the corpus runs out of pairs. */
    public BpeTokenizer train(Iterable<String> corpus, int vocabSize, List<String> specials) {
        if (vocabSize < 256 + specials.size()) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " is below 256 bytes + "
                    + specials.size() + " special tokens");
        }
        SpecialMatcher matcher = new SpecialMatcher(specials, new ArrayList<>(java.util.Collections.nCopies(specials.size(), 0)));
        countWords(corpus, matcher);
        List<String> vocab = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevel.charOf(b));
            vocab.add(s);
            ids.put(s, b);
        }
        countPairs();
        List<int[]> merges = new ArrayList<>();
        int target = vocabSize - specials.size();
        int stamp = 0;
        int[] seen = new int[words.length];
        Arrays.fill(seen, -1);
        while (vocab.size() < target) {
            long key = popBest();
            if (key < 0) {
                break;
            }
            int left = (int) (key >>> 32);
            int right = (int) key;
            String merged = vocab.get(left) + vocab.get(right);
            Integer id = ids.get(merged);
            if (id == null) {
                id = vocab.size();
                vocab.add(merged);
                ids.put(merged, id);
            }
            merges.add(new int[] {left, right, id});
            applyMerge(key, left, right, id, seen, stamp++);
        }
        List<BpeTokenizer.Added> added = new ArrayList<>();
        for (String s : specials) {
            added.add(new BpeTokenizer.Added(vocab.size() + added.size(), s, true));
        }
        String[] table = new String[vocab.size() + specials.size()];
        for (int i = 0; i < vocab.size(); i++) {
            table[i] = vocab.get(i);
        }
        for (BpeTokenizer.Added a : added) {
            table[a.id()] = a.content();
        }
        return new BpeTokenizer("bpe", table, merges.toArray(new int[0][]), added, BpeTokenizer.Options.gpt2());
    }

    private void countWords(Iterable<String> corpus, SpecialMatcher matcher) {
        HashMap<String, long[]> counts = new HashMap<>();
        PreTokenizer.WordSink sink = (b, from, to) -> counts
                .computeIfAbsent(new String(b, from, to - from, StandardCharsets.ISO_8859_1), k -> new long[1])[0]++;
        for (String doc : corpus) {
            byte[] text = doc.getBytes(StandardCharsets.UTF_8);
            int segment = 0;
            if (!matcher.isEmpty()) {
                for (int p = 0; p < text.length; ) {
                    int m = matcher.match(text, p, text.length);
                    if (m < 0) {
                        p++;
                        continue;
                    }
                    PreTokenizer.split(text, segment, p, sink);
                    p += matcher.length(m);
                    segment = p;
                }
            }
            PreTokenizer.split(text, segment, text.length, sink);
        }
        // a stable order of word types, so that training is deterministic
        String[] keys = counts.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        words = new int[keys.length][];
        lengths = new int[keys.length];
        freqs = new long[keys.length];
        for (int w = 0; w < keys.length; w++) {
            String k = keys[w];
            int[] s = new int[k.length()];
            for (int i = 0; i < s.length; i++) {
                s[i] = k.charAt(i);
            }
            words[w] = s;
            lengths[w] = s.length;
            freqs[w] = counts.get(k)[0];
        }
    }

    private void countPairs() {
        for (int w = 0; w < words.length; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                Pair p = pairs.computeIfAbsent(PairMap.key(s[i], s[i + 1]), k -> new Pair());
                p.count += freqs[w];
                p.addWord(w);
            }
        }
        for (Map.Entry<Long, Pair> e : pairs.entrySet()) {
            heap.add(new long[] {e.getKey(), e.getValue().count});
        }
    }

    /** The pair with the highest count now, or -1; heap entries whose count went stale are re-queued. */
    private long popBest() {
        while (!heap.isEmpty()) {
            long[] top = heap.poll();
            Pair p = pairs.get(top[0]);
            long actual = p == null ? 0 : p.count;
            if (actual == top[1] && actual > 0) {
                return top[0];
            }
            if (actual > 0 && actual != top[1]) {
                heap.add(new long[] {top[0], actual});
            }
        }
        return -1;
    }

    private void applyMerge(long key, int left, int right, int id, int[] seen, int stamp) {
        Pair merged = pairs.remove(key);
        HashMap<Long, Long> changes = new HashMap<>();
        HashMap<Long, Pair> grown = new HashMap<>();
        for (int k = 0; k < merged.nwords; k++) {
            int w = merged.words[k];
            if (seen[w] == stamp) {
                continue;
            }
            seen[w] = stamp;
            mergeWord(w, left, right, id, changes, grown);
        }
        for (Map.Entry<Long, Long> e : changes.entrySet()) {
            if (e.getKey() == key || e.getValue() == 0) {
                continue;
            }
            Pair p = pairs.computeIfAbsent(e.getKey(), x -> new Pair());
            p.count += e.getValue();
            if (e.getValue() > 0) {
                heap.add(new long[] {e.getKey(), p.count});
            }
            if (p.count <= 0) {
                pairs.remove(e.getKey());
            }
        }
        for (Map.Entry<Long, Pair> e : grown.entrySet()) {
            Pair p = pairs.get(e.getKey());
            if (p != null) {
                Pair src = e.getValue();
                for (int i = 0; i < src.nwords; i++) {
                    p.addWord(src.words[i]);
                }
            }
        }
    }

    /**
     * Replaces each (left, right) in word {@code w}, leftmost first, in one pass: {@code r} reads the
     * old symbols, {@code n} writes the new ones in place ({@code n <= r}), so a word of any length
     * costs linear time (shifting the tail at each occurrence was quadratic on long unbroken text).
     * The left neighbour is the last symbol written, which may itself be {@code id}.
     */
    private void mergeWord(int w, int left, int right, int id, Map<Long, Long> changes, Map<Long, Pair> grown) {
        int[] s = words[w];
        int len = lengths[w];
        long f = freqs[w];
        int n = 0;
        int r = 0;
        while (r < len) {
            if (r + 1 < len && s[r] == left && s[r + 1] == right) {
                if (n > 0) {
                    change(changes, grown, s[n - 1], left, -f, w);
                    change(changes, grown, s[n - 1], id, f, w);
                }
                if (r + 2 < len) {
                    change(changes, grown, right, s[r + 2], -f, w);
                    change(changes, grown, id, s[r + 2], f, w);
                }
                s[n++] = id;
                r += 2;
            } else {
                s[n++] = s[r++];
            }
        }
        lengths[w] = n;
    }

    private static void change(Map<Long, Long> changes, Map<Long, Pair> grown, int a, int b, long delta, int w) {
        long k = PairMap.key(a, b);
        changes.merge(k, delta, Long::sum);
        if (delta > 0) {
            grown.computeIfAbsent(k, x -> new Pair()).addWord(w);
        }
    }
}

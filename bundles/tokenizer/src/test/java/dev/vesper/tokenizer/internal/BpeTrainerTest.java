package dev.vesper.tokenizer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    @Test
    void mergesLikeTextbookBpeOnRandomText() {
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 40; k++) {
            // few letters, so runs like "aaaa" (overlapping pairs) and repeated merged tokens are common
            String alphabet = "ab cé中".substring(0, 2 + r.nextInt(5));
            List<String> docs = new ArrayList<>();
            for (int d = 1 + r.nextInt(3); d > 0; d--) {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(400); i > 0; i--) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                docs.add(sb.toString());
            }
            assertSameAsReference(docs, 256 + r.nextInt(80));
        }
    }

    @Test
    void mergesALongUnbrokenWordLikeTextbookBpe() {
        // 200,000 CJK characters without a space are one pre-token of 600,000 bytes
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append((char) (0x4E00 + r.nextInt(40)));
        }
        assertSameAsReference(List.of(sb.toString()), 300);
    }

    private static void assertSameAsReference(List<String> docs, int vocabSize) {
        BpeTokenizer t = new BpeTrainer().train(docs, vocabSize, List.of());
        List<String> vocab = new ArrayList<>();
        List<int[]> merges = reference(docs, vocabSize, vocab);
        assertEquals(merges.size(), t.merges().length, "merge count");
        for (int i = 0; i < merges.size(); i++) {
            assertArrayEquals(merges.get(i), t.merges()[i], "merge " + i);
        }
        assertArrayEquals(vocab.toArray(new String[0]), t.vocab());
        for (String doc : docs) {
            assertEquals(doc, t.decode(t.encode(doc)));
        }
    }

    /**
     * Textbook BPE training: recount every pair after each merge, take the most frequent (smallest
     * ids on ties) and replace it in each word, leftmost first; a merged string already in the
     * vocabulary keeps its id.
     */
    private static List<int[]> reference(List<String> docs, int vocabSize, List<String> vocab) {
        Map<String, Long> counts = new TreeMap<>();
        for (String doc : docs) {
            byte[] b = doc.getBytes(StandardCharsets.UTF_8);
            PreTokenizer.split(b, 0, b.length, (x, f, to) -> counts.merge(
                    new String(x, f, to - f, StandardCharsets.ISO_8859_1), 1L, Long::sum));
        }
        List<int[]> words = new ArrayList<>();
        List<Long> freqs = new ArrayList<>();
        counts.forEach((w, n) -> {
            words.add(w.chars().toArray());
            freqs.add(n);
        });
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.add(String.valueOf(ByteLevel.charOf(b)));
            ids.put(vocab.get(b), b);
        }
        List<int[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                for (int i = 0; i + 1 < s.length; i++) {
                    pairs.merge(PairMap.key(s[i], s[i + 1]), freqs.get(w), Long::sum);
                }
            }
            long best = -1;
            for (Map.Entry<Long, Long> e : pairs.entrySet()) {
                if (best < 0 || e.getValue() > pairs.get(best) || (e.getValue().equals(pairs.get(best)) && e.getKey() < best)) {
                    best = e.getKey();
                }
            }
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String merged = vocab.get(left) + vocab.get(right);
            int id = ids.computeIfAbsent(merged, m -> {
                vocab.add(m);
                return vocab.size() - 1;
            });
            merges.add(new int[] {left, right, id});
            for (int w = 0; w < words.size(); w++) {
                words.set(w, replace(words.get(w), left, right, id));
            }
        }
        assertTrue(vocab.size() <= vocabSize);
        return merges;
    }

    private static int[] replace(int[] s, int left, int right, int id) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                out.add(id);
                i++;
            } else {
                out.add(s[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

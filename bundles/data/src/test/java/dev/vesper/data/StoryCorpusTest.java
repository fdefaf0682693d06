package dev.vesper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.data.builtin.StoryCorpus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoryCorpusTest {
    @Test
    void isDeterministicAndSeeded() {
        StoryCorpus a = new StoryCorpus();
        assertEquals(a.story(17), new StoryCorpus().story(17));
        assertEquals(a.story(3999), new StoryCorpus(StoryCorpus.DEFAULT_SEED).story(3999));
        assertNotEquals(a.story(17), a.story(18));
        assertNotEquals(a.story(17), new StoryCorpus(1).story(17));
    }

    @Test
    void defaultCorpusHasOverTwoMegabytesOfDistinctVariedText() {
        List<String> stories = new StoryCorpus().stories(StoryCorpus.DEFAULT_STORIES);
        long bytes = 0;
        Set<String> sentences = new HashSet<>();
        Set<String> words = new HashSet<>();
        for (String s : stories) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length;
            for (String sentence : s.split("(?<=[.!?\"])\\s+")) {
                sentences.add(sentence);
            }
            for (String w : s.split("[^A-Za-z']+")) {
                words.add(w.toLowerCase());
            }
            assertTrue(s.length() > 300, "a story has a beginning, a middle and an end: " + s);
            assertTrue(s.contains("\""), "a story has dialogue: " + s);
        }
        assertEquals(stories.size(), new HashSet<>(stories).size(), "every story is distinct");
        assertTrue(bytes > 2_000_000, "bytes " + bytes);
        assertTrue(sentences.size() > 10_000, "distinct sentences " + sentences.size());
        assertTrue(words.size() > 500, "vocabulary " + words.size());
    }

    @Test
    void builtinSourceServesTheStories() throws Exception {
        BuiltinSource source = new BuiltinSource();
        List<String> texts = new ArrayList<>();
        ReadSummary s = source.read("builtin:stories?count=25&seed=5", ReadOptions.defaults(), d -> texts.add(d.text()));
        assertEquals(25, s.documents());
        assertEquals(new StoryCorpus(5).stories(25), texts);
        assertEquals(s.fingerprint(), source.fingerprint("builtin:stories?count=25&seed=5", ReadOptions.defaults()));
        assertNotEquals(s.fingerprint(), source.fingerprint("builtin:stories", ReadOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> source.read("builtin:poems", ReadOptions.defaults(), d -> { }));
        assertThrows(IllegalArgumentException.class, () -> source.read("builtin:stories?count=x", ReadOptions.defaults(), d -> { }));
    }
}

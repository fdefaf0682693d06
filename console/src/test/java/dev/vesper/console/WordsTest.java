package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.Test;

class WordsTest {
    /** Stands for a command: Words reads the options of its caller's method of the command's name. */
    public void train(@Parameter(names = "--steps", absentValue = "") String steps, String... words) {
    }

    @Test
    void aDeclaredOptionSeenAgainWasGivenTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Words.none("train", new String[] {"--steps", "2"}));
        assertEquals("train: option --steps given twice (see: help vesper:train)", e.getMessage());
    }

    @Test
    void anUndeclaredOptionIsUnknown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Words.none("train", new String[] {"--stpes", "2"}));
        assertEquals("train: unknown option --stpes; did you mean --steps? (see: help vesper:train)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Words.none("train", new String[] {"--colour", "red"}));
        assertEquals("train: unknown option --colour (see: help vesper:train)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Words.noOptions("generate", new String[] {"--steps"}));
        assertEquals("generate: unknown option --steps (see: help vesper:generate)", e.getMessage(),
                "another command's option is unknown to this one");
    }

    @Test
    void aDoubleDashEndsTheOptionsBeforeAText() {
        String[] words = {"--", "--dash", "and", "more"};
        assertDoesNotThrow(() -> Words.noOptions("generate", words));
        assertEquals("--dash and more", Words.text(words));
        assertEquals("plain text", Words.text(new String[] {"plain", "text"}));
        assertThrows(IllegalArgumentException.class, () -> Words.noOptions("generate", new String[] {"--dash"}));
    }
}

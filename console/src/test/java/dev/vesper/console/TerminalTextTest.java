package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Generated text reaches the terminal as text: no control character gets through. */
class TerminalTextTest {
    @Test
    void controlCharactersAreShownNotObeyed() {
        assertEquals("a␀b␛[2Jc␡\uFFFDd", TerminalText.printable("a\0b\u001b[2Jc\u007f\u0085d"));
    }

    @Test
    void ordinaryTextPassesUntouched() {
        String story = "Once upon a time,\n\tthere was a café — and a 🐢.";
        assertSame(story, TerminalText.printable(story));
    }
}

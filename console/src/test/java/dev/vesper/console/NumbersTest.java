package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void aWholeNumberParsesAndNamesItsOptionWhenItCannot() {
        assertEquals(42, Numbers.whole("--steps", " 42 "));
        assertEquals("--steps expects a whole number, got 'ten'",
                assertThrows(IllegalArgumentException.class, () -> Numbers.whole("--steps", "ten")).getMessage());
        assertEquals("--steps must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> Numbers.positive("--steps", "0")).getMessage());
    }

    @Test
    void aNumberOutOfRangeIsCalledTooLargeNotNoNumber() {
        assertEquals("--max-tokens is too large (at most 2147483647), got 99999999999",
                assertThrows(IllegalArgumentException.class, () -> Numbers.whole("--max-tokens", "99999999999")).getMessage());
        assertEquals("--seed is too small (at least -9223372036854775808), got -99999999999999999999",
                assertThrows(IllegalArgumentException.class,
                        () -> Numbers.wholeLong("--seed", "-99999999999999999999")).getMessage());
    }
}

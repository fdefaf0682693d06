package dev.vesper.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SamplingOptionsTest {
    @Test
    void generationStopsAtEndOfTextUnlessToldOtherwise() {
        SamplingOptions plain = SamplingOptions.defaults();
        assertArrayEquals(new int[] {2}, plain.stoppingAt(2).stopTokens());
        SamplingOptions own = plain.withStopTokens(7, 9);
        assertSame(own, own.stoppingAt(2), "stop tokens that were set stand");
        assertSame(plain, plain.stoppingAt(-1), "a tokenizer without end-of-text changes nothing");
    }
}

package dev.vesper.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DatasetSourceTest {
    @Test
    void aLocationWithASchemeNamesIt() {
        assertEquals("hf", DatasetSource.schemeOf("hf://datasets/owner/name/train.jsonl"));
        assertEquals("builtin", DatasetSource.schemeOf("builtin:stories"));
        assertEquals("my-src.v2", DatasetSource.schemeOf("My-Src.V2:x"), "in lower case; digits, '+', '-' and '.' allowed");
    }

    @Test
    void aPathHasNone() {
        assertNull(DatasetSource.schemeOf("data/notes.txt"));
        assertNull(DatasetSource.schemeOf("/home/you/notes.txt"));
        assertNull(DatasetSource.schemeOf("C:\\data\\notes.txt"), "a drive letter is a path");
        assertNull(DatasetSource.schemeOf("./notes:2026.txt"), "written with ./, a file name may hold a colon");
        assertNull(DatasetSource.schemeOf("1abc:x"), "a scheme starts with a letter");
    }
}

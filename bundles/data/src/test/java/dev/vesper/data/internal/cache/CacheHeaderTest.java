package dev.vesper.data.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache header: what it records about skipped lines, and that no text can overflow it. */
class CacheHeaderTest {
    @TempDir
    Path dir;

    private Path write(String location, long skipped, String firstSkipped) throws Exception {
        Path file = dir.resolve("c.vtok");
        try (CacheWriter w = new CacheWriter(file, 300, 299)) {
            w.add(new int[] {1, 2, 3}, 3);
            w.finish("tok", "src", location, skipped, firstSkipped);
        }
        return file;
    }

    @Test
    void skippedLinesAreKeptForTheNextRunThatFindsTheCache() throws Exception {
        CacheHeader h = CacheHeader.read(write("data/records.jsonl", 2, "data/records.jsonl:9: not JSON"));
        assertNotNull(h);
        assertEquals(2, h.skippedLines);
        assertEquals("data/records.jsonl:9: not JSON", h.firstSkippedLine);
        assertEquals("data/records.jsonl", h.location);
    }

    @Test
    void longTextsInAnyScriptAreClippedToWholeCharactersAndTheHeaderStillFits() throws Exception {
        // 600 CJK characters are 1,800 UTF-8 bytes; an emoji is a surrogate pair that must not be split
        String location = "/data/" + "語".repeat(600) + ".jsonl";
        String first = "😀".repeat(400) + ": not JSON";
        CacheHeader h = CacheHeader.read(write(location, 1, first));
        assertNotNull(h, "the header was written and reads back");
        assertTrue(location.startsWith(h.location) && h.location.getBytes(StandardCharsets.UTF_8).length <= 1000,
                h.location.length() + " chars");
        assertTrue(first.startsWith(h.firstSkippedLine), "whole characters only");
        assertEquals(250, h.firstSkippedLine.codePointCount(0, h.firstSkippedLine.length()), "250 emoji of 4 bytes");
    }

    @Test
    void aCacheOfTheEarlierFormatIsNotReadSoItIsRebuilt() throws Exception {
        Path file = write("data.txt", 0, "");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer version1 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
            ch.write(version1, 8);
        }
        assertNull(CacheHeader.read(file));
    }
}

package dev.vesper.data.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedTokensTest {
    @TempDir
    Path dir;

    private Path write(int vocab, int docs, int perDoc) throws IOException {
        Path file = dir.resolve("c-" + vocab + ".vtok");
        try (CacheWriter w = new CacheWriter(file, vocab, vocab - 1)) {
            int next = 0;
            for (int d = 0; d < docs; d++) {
                int[] ids = new int[perDoc + d % 3];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = next++ % (vocab - 1);
                }
                w.add(ids, ids.length);
            }
            w.finish("tok", "src", "test");
        }
        return file;
    }

    @Test
    void readsAcrossChunkBoundariesForBothIdWidths() throws Exception {
        for (int vocab : new int[] {1000, 100_000}) {
            Path file = write(vocab, 40, 25);
            CacheHeader h = CacheHeader.read(file);
            assertEquals(vocab <= 65536 ? 2 : 4, h.idBytes);
            MappedTokens whole = MappedTokens.open(file);
            MappedTokens chunked = MappedTokens.open(file, 64);
            int[] a = new int[(int) h.tokens];
            int[] b = new int[(int) h.tokens];
            whole.read(0, a, 0, a.length);
            chunked.read(0, b, 0, b.length);
            assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
            for (long i = 0; i < h.tokens; i += 7) {
                assertEquals(a[(int) i], chunked.get(i));
            }
            int[] window = new int[50];
            chunked.read(13, window, 0, 50);
            for (int i = 0; i < 50; i++) {
                assertEquals(a[13 + i], window[i]);
            }
            assertEquals(vocab - 1, a[25], "each document is followed by the end-of-text id");
            assertEquals(41, chunked.documentStarts().length);
            assertEquals(h.tokens, chunked.documentStarts()[40]);
        }
    }

    private static UnusableCacheException unusable(Path file) {
        return assertThrows(UnusableCacheException.class, () -> MappedTokens.open(file, 64));
    }

    private static void flip(Path file, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10)).position(0);
            ch.write(one, at);
        }
    }

    @Test
    void aChangedByteAnywhereAfterTheHeaderIsFoundForBothIdWidths() throws Exception {
        for (int vocab : new int[] {1000, 100_000}) {
            Path file = write(vocab, 40, 25);
            CacheHeader h = CacheHeader.read(file);
            byte[] intact = Files.readAllBytes(file);
            long[] places = {CacheHeader.SIZE, CacheHeader.SIZE + 333, h.tokensEnd() - 1, h.indexOffset + 8,
                    h.fileSize() - 1};
            for (long at : places) {
                flip(file, at);
                UnusableCacheException e = unusable(file);
                assertTrue(e.damaged());
                assertEquals(file + ": the token cache is damaged (its tokens or document index do not match the"
                        + " checksum in its header)", e.getMessage(), "byte " + at);
                Files.write(file, intact);
                assertEquals(h.tokens, MappedTokens.open(file, 64).header().tokens, "restored");
            }
        }
    }

    @Test
    void truncatedFilesAndBrokenHeadersAreDamagedNeverMapped() throws Exception {
        Path file = write(1000, 10, 5);
        byte[] intact = Files.readAllBytes(file);
        for (int length : new int[] {0, 1, CacheHeader.SIZE - 1, CacheHeader.SIZE, intact.length - 8, intact.length - 1}) {
            Files.write(file, java.util.Arrays.copyOf(intact, length));
            UnusableCacheException e = unusable(file);
            assertTrue(e.damaged() && e.getMessage().startsWith(file + ": the token cache is damaged (truncated: "
                    + length + " bytes"), e.getMessage());
        }
        Files.write(file, java.util.Arrays.copyOf(intact, intact.length + 3));
        assertTrue(unusable(file).getMessage().contains("too long"));
        for (long at : new long[] {0, 12, 16, 20, 40, 100, CacheHeader.SIZE - 1}) {
            Files.write(file, intact);
            flip(file, at);
            UnusableCacheException e = unusable(file);
            assertTrue(e.damaged(), "byte " + at + ": " + e.getMessage());
        }
        assertNull(CacheHeader.read(file), "the public read still answers null, so callers rebuild");
        Files.write(file, intact);
        ByteBuffer.wrap(intact).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        Files.write(file, intact);
        UnusableCacheException older = unusable(file);
        assertFalse(older.damaged(), "an earlier format is no damage");
        assertTrue(older.getMessage().contains("format 2"), older.getMessage());
    }

    @Test
    void aMissingFileIsNoCacheAndNoError() throws Exception {
        assertNull(MappedTokens.open(dir.resolve("none.vtok")));
    }

    private static CacheHeader header(long tokens, long indexOffset, int payloadChecksum) {
        return new CacheHeader(2, 50_000, 49_999, tokens, 1, CacheHeader.SIZE, indexOffset, 0, 0, "t", "s", "sparse",
                "", payloadChecksum);
    }

    /** CRC32C of every byte after the header, computed here independently of MappedTokens' chunks. */
    private static int payloadChecksum(FileChannel ch) throws IOException {
        CRC32C crc = new CRC32C();
        for (long at = CacheHeader.SIZE; at < ch.size(); at += 1 << 30) {
            crc.update(ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(1 << 30, ch.size() - at)));
        }
        return (int) crc.getValue();
    }

    /** A sparse cache file over 2 GB: only the tokens we check are written. */
    @Test
    void mapsFilesOverTwoGigabytes() throws Exception {
        long tokens = 1_200_000_000L; // uint16: 2.4 GB of tokens
        long tokensEnd = CacheHeader.SIZE + tokens * 2;
        long indexOffset = (tokensEnd + 7) & ~7L;
        CacheHeader h = header(tokens, indexOffset, 0);
        Path file = dir.resolve("big.vtok");
        long[] probes = {0, (1L << 29) - 1, 1L << 29, (1L << 30) + 3, tokens - 2, tokens - 1};
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(h.encode(), 0);
            for (long p : probes) {
                ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) (p % 40_000));
                ch.write(b, CacheHeader.SIZE + p * 2);
            }
            ByteBuffer index = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(tokens);
            index.flip();
            ch.write(index, indexOffset);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(header(tokens, indexOffset, payloadChecksum(ch)).encode(), 0);
        }
        assertTrue(Files.size(file) > (1L << 31));
        CacheHeader read = CacheHeader.read(file);
        assertEquals(tokens, read.tokens);
        MappedTokens m = MappedTokens.open(file);
        for (long p : probes) {
            assertEquals(p % 40_000, m.get(p), "token " + p);
        }
        int[] window = new int[4];
        m.read((1L << 29) - 2, window, 0, 4);
        assertEquals(((1L << 29) - 1) % 40_000, window[1], "tail of the first chunk");
        assertEquals(((1L << 29)) % 40_000, window[2], "head of the second chunk");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            assertTrue(f.length() > Integer.MAX_VALUE);
        }
    }
}

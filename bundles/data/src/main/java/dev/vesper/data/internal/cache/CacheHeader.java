package dev.vesper.data.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The header of a token cache file (little-endian, {@value #SIZE} bytes):
 * <pre>
 *  0  magic "VSPRTOKS"          8  u32 version          12 u32 bytes per id (2 or 4)
 * 16  u32 vocabulary size     20  i32 end-of-text id (-1: none; then no separators are stored)
 * 24  u64 tokens (separators included)                   32 u64 documents
 * 40  u64 byte offset of the tokens                      48 u64 byte offset of the document index
 * 56  u64 UTF-8 bytes of the source text                   64 u64 bad lines skipped (--skip-bad-lines)
 * 72  tokenizer fingerprint, source fingerprint, location, the first skipped line's error: each u16
 *     length + UTF-8
 * </pre>
 * The tokens are each document's ids followed by the end-of-text id; the document index holds
 * documents + 1 u64 token positions (the start of each document, then the total).
 */
public final class CacheHeader {
    public static final int SIZE = 4096;
    public static final int VERSION = 2;
    /**
     * Each of the four strings is clipped to this many UTF-8 bytes, so that with the fixed fields
     * (72 bytes) and the length prefixes the header never outgrows {@link #SIZE}.
     */
    static final int MAX_STRING_BYTES = 1000;
    private static final byte[] MAGIC = "VSPRTOKS".getBytes(StandardCharsets.US_ASCII);

    public final int idBytes;
    public final int vocabSize;
    public final int endOfText;
    public final long tokens;
    public final long documents;
    public final long tokensOffset;
    public final long indexOffset;
    public final long sourceBytes;
    public final long skippedLines;
    public final String tokenizerFingerprint;
    public final String sourceFingerprint;
    public final String location;
    /** Why the first skipped line was bad; empty when none was skipped. */
    public final String firstSkippedLine;

    /** A header of a cache from which no line was skipped. */
    public CacheHeader(int idBytes, int vocabSize, int endOfText, long tokens, long documents, long tokensOffset,
                       long indexOffset, long sourceBytes, String tokenizerFingerprint, String sourceFingerprint,
                       String location) {
        this(idBytes, vocabSize, endOfText, tokens, documents, tokensOffset, indexOffset, sourceBytes, 0,
                tokenizerFingerprint, sourceFingerprint, location, "");
    }

    public CacheHeader(int idBytes, int vocabSize, int endOfText, long tokens, long documents, long tokensOffset,
                       long indexOffset, long sourceBytes, long skippedLines, String tokenizerFingerprint,
                       String sourceFingerprint, String location, String firstSkippedLine) {
        this.idBytes = idBytes;
        this.vocabSize = vocabSize;
        this.endOfText = endOfText;
        this.tokens = tokens;
        this.documents = documents;
        this.tokensOffset = tokensOffset;
        this.indexOffset = indexOffset;
        this.sourceBytes = sourceBytes;
        this.skippedLines = skippedLines;
        this.tokenizerFingerprint = tokenizerFingerprint;
        this.sourceFingerprint = sourceFingerprint;
        this.location = location;
        this.firstSkippedLine = firstSkippedLine == null ? "" : firstSkippedLine;
    }

    /** The size the whole file must have. */
    public long fileSize() {
        return indexOffset + (documents + 1) * 8;
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(idBytes).putInt(vocabSize).putInt(endOfText)
                .putLong(tokens).putLong(documents).putLong(tokensOffset).putLong(indexOffset).putLong(sourceBytes)
                .putLong(skippedLines);
        putString(b, clip(tokenizerFingerprint));
        putString(b, clip(sourceFingerprint));
        putString(b, clip(location));
        putString(b, clip(firstSkippedLine));
        b.position(0);
        return b;
    }

    /** The longest prefix of {@code s} of at most {@value #MAX_STRING_BYTES} UTF-8 bytes, whole characters only. */
    static String clip(String s) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_STRING_BYTES) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) raw.length).put(raw);
    }

    private static String getString(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        if (n > b.remaining()) {
            throw new IllegalStateException("string runs past the header");
        }
        byte[] raw = new byte[n];
        b.get(raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    /**
     * The header of an existing cache file, or null when there is none, or it is not a cache of this
     * version, or it is truncated: in each case the cache is simply rebuilt.
     */
    public static CacheHeader read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch);
        }
    }

    /** As {@link #read(Path)}, from an open channel (so that header and mapping are of one file). */
    static CacheHeader read(FileChannel ch) throws IOException {
        if (ch.size() < SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long pos = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                return null;
            }
            pos += r;
        }
        b.flip();
        try {
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || b.getInt() != VERSION) {
                return null;
            }
            CacheHeader h = new CacheHeader(b.getInt(), b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong(),
                    b.getLong(), b.getLong(), b.getLong(), getString(b), getString(b), getString(b), getString(b));
            boolean sane = (h.idBytes == 2 || h.idBytes == 4) && h.tokens >= 0 && h.documents >= 0
                    && h.tokensOffset >= SIZE && h.indexOffset >= h.tokensOffset + h.tokens * h.idBytes
                    && ch.size() == h.fileSize();
            return sane ? h : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}

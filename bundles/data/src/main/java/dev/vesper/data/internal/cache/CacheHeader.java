package dev.vesper.data.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The header of a token cache file (little-endian, {@value #SIZE} bytes):
 * <pre>
 *  0  magic "VSPRTOKS"          8  u32 version          12 u32 bytes per id (2 or 4)
 * 16  u32 vocabulary size     20  i32 end-of-text id (-1: none; then no separators are stored)
 * 24  u64 tokens (separators included)                   32 u64 documents
 * 40  u64 byte offset of the tokens                      48 u64 byte offset of the document index
 * 56  u64 UTF-8 bytes of the source text                   64 u64 bad lines skipped (--skip-bad-lines)
 * 72  u32 CRC32C of the payload (every byte after the header: tokens, padding, index)
 * 76  u32 CRC32C of these {@value #SIZE} bytes, read with this field as zero
 * 80  tokenizer fingerprint, source fingerprint, location, the first skipped line's error: each u16
 *     length + UTF-8
 * </pre>
 * The tokens are each document's ids followed by the end-of-text id, padded with zeros to a multiple
 * of 8 bytes; the document index holds documents + 1 u64 token positions (the start of each
 * document, then the total). The two checksums let a damaged file be told from a good one, so that
 * it is rebuilt rather than read (version 3; version 2 had none). Version 4 reads prompt/response pairs
 * as chat turns ({@code Document.turn}), so a cache of version 3 is rebuilt.
 */
public final class CacheHeader {
    public static final int SIZE = 4096;
    public static final int VERSION = 4;
    /**
     * Each of the four strings is clipped to this many UTF-8 bytes, so that with the fixed fields
     * (80 bytes) and the length prefixes the header never outgrows {@link #SIZE}.
     */
    static final int MAX_STRING_BYTES = 1000;
    private static final int HEADER_CHECKSUM_AT = 76;
    private static final int STRINGS_AT = 80;
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
    /** CRC32C of every byte after the header, as {@link MappedTokens#open} verifies it. */
    public final int payloadChecksum;

    public CacheHeader(int idBytes, int vocabSize, int endOfText, long tokens, long documents, long tokensOffset,
                       long indexOffset, long sourceBytes, long skippedLines, String tokenizerFingerprint,
                       String sourceFingerprint, String location, String firstSkippedLine, int payloadChecksum) {
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
        this.payloadChecksum = payloadChecksum;
    }

    /** The size the whole file must have. */
    public long fileSize() {
        return indexOffset + (documents + 1) * 8;
    }

    /** Where the tokens end and the padding before the index begins. */
    long tokensEnd() {
        return tokensOffset + tokens * idBytes;
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(idBytes).putInt(vocabSize).putInt(endOfText)
                .putLong(tokens).putLong(documents).putLong(tokensOffset).putLong(indexOffset).putLong(sourceBytes)
                .putLong(skippedLines).putInt(payloadChecksum).putInt(0);
        putString(b, clip(tokenizerFingerprint));
        putString(b, clip(sourceFingerprint));
        putString(b, clip(location));
        putString(b, clip(firstSkippedLine));
        b.putInt(HEADER_CHECKSUM_AT, headerChecksum(b.array()));
        b.position(0);
        return b;
    }

    /** CRC32C of a whole header with its own checksum field read as zero. */
    private static int headerChecksum(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, HEADER_CHECKSUM_AT);
        crc.update(new byte[4]);
        crc.update(header, HEADER_CHECKSUM_AT + 4, SIZE - HEADER_CHECKSUM_AT - 4);
        return (int) crc.getValue();
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
     * The header of an existing cache file, or null when there is none or it cannot be used (see
     * {@link #read(FileChannel, Path)}): in each case the cache is simply rebuilt.
     */
    public static CacheHeader read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file);
        } catch (UnusableCacheException e) {
            return null;
        }
    }

    /**
     * The header of {@code file}, read from an open channel (so that header and mapping are of one
     * file), checked against its checksum and against the file's size. The payload's checksum is left
     * to {@link MappedTokens#open}, which reads the payload anyway.
     */
    static CacheHeader read(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < SIZE) {
            throw UnusableCacheException.damaged(file, "truncated: " + size + " bytes, less than its "
                    + SIZE + "-byte header");
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long pos = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw UnusableCacheException.damaged(file, "truncated while it was read");
            }
            pos += r;
        }
        b.flip();
        checkIdentity(b, file);
        CacheHeader h = decode(b, file);
        if (size != h.fileSize()) {
            throw UnusableCacheException.damaged(file, (size < h.fileSize() ? "truncated: " : "too long: ") + size
                    + " bytes where its header says " + h.fileSize());
        }
        return h;
    }

    /** Magic, version and the header's own checksum: is this a whole header this version can read? */
    private static void checkIdentity(ByteBuffer b, Path file) throws UnusableCacheException {
        byte[] magic = Arrays.copyOf(b.array(), MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw UnusableCacheException.damaged(file, "it does not begin with a token cache header");
        }
        int version = b.getInt(MAGIC.length);
        if (version != VERSION) {
            // not damage: an upgrade leaves caches of the earlier format behind
            throw new UnusableCacheException(file, "the token cache is of format " + version + ", this version of"
                    + " Vesper reads format " + VERSION, false);
        }
        if (b.getInt(HEADER_CHECKSUM_AT) != headerChecksum(b.array())) {
            throw UnusableCacheException.damaged(file, "its header does not match the header's checksum");
        }
    }

    private static CacheHeader decode(ByteBuffer b, Path file) throws UnusableCacheException {
        CacheHeader h;
        try {
            b.position(STRINGS_AT);
            String tokenizer = getString(b);
            String source = getString(b);
            String location = getString(b);
            String firstSkipped = getString(b);
            b.position(MAGIC.length + 4);
            h = new CacheHeader(b.getInt(), b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong(),
                    b.getLong(), b.getLong(), b.getLong(), tokenizer, source, location, firstSkipped, b.getInt());
        } catch (RuntimeException e) {
            throw UnusableCacheException.damaged(file, "its header cannot be read: " + e.getMessage());
        }
        // the checksum matched, so only a writer's bug could fail this; still, never map nonsense
        boolean sane = (h.idBytes == 2 || h.idBytes == 4) && h.tokens >= 0 && h.documents >= 0
                && h.tokensOffset == SIZE && h.indexOffset >= h.tokensEnd() && h.indexOffset - h.tokensEnd() < 8;
        if (!sane) {
            throw UnusableCacheException.damaged(file, "its header's sizes and offsets do not fit together");
        }
        return h;
    }
}

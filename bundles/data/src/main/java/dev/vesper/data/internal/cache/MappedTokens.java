package dev.vesper.data.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The tokens of a cache file, memory-mapped read-only in chunks (a single mapping is limited to
 * 2 GB), read straight from the mapping without copying the file into the heap.
 */
public final class MappedTokens {
    public static final long DEFAULT_CHUNK_BYTES = 1L << 30;

    private final CacheHeader header;
    private final MappedByteBuffer[] chunks;
    private final long chunkTokens;
    private final int shift;
    private final long[] documentStarts;

    /**
     * The cache in {@code file} mapped, or null when there is no file there.
     *
     * @throws UnusableCacheException when the file is there but damaged (see {@link CacheHeader}) or of
     *                                another format; the caller rebuilds it
     */
    public static MappedTokens open(Path file) throws IOException {
        return open(file, DEFAULT_CHUNK_BYTES);
    }

    /** {@code chunkBytes} is a multiple of 4; small values let tests cross chunk boundaries. */
    public static MappedTokens open(Path file, long chunkBytes) throws IOException {
        if (chunkBytes % 4 != 0 || chunkBytes <= 0 || chunkBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of 4 below 2 GB");
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        // header, index and tokens all come through one channel: one file, even if it is replaced meanwhile
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            CacheHeader header = CacheHeader.read(ch, file);
            MappedByteBuffer[] chunks = map(ch, header, chunkBytes);
            long[] starts = verifiedIndex(ch, header, chunks, file);
            return new MappedTokens(header, chunkBytes, chunks, starts);
        }
    }

    /**
     * The document index, once the whole payload has matched its checksum. One sequential pass over
     * the mapping (no copy into the heap) is cheap next to tokenizing, and it is the only way to
     * notice damaged token data before it reaches a model.
     */
    private static long[] verifiedIndex(FileChannel ch, CacheHeader header, MappedByteBuffer[] chunks, Path file)
            throws IOException {
        CRC32C crc = new CRC32C();
        for (MappedByteBuffer c : chunks) {
            crc.update(c.duplicate());
        }
        long[] starts;
        try {
            starts = readIndex(ch, header, crc);
        } catch (java.io.EOFException e) {
            throw UnusableCacheException.damaged(file, e.getMessage());
        }
        if ((int) crc.getValue() != header.payloadChecksum) {
            throw UnusableCacheException.damaged(file, "its tokens or document index do not match the"
                    + " checksum in its header");
        }
        checkIndex(starts, header, file);
        return starts;
    }

    private MappedTokens(CacheHeader header, long chunkBytes, MappedByteBuffer[] chunks, long[] documentStarts) {
        this.header = header;
        this.documentStarts = documentStarts;
        this.shift = header.idBytes == 2 ? 1 : 2;
        this.chunkTokens = chunkBytes >> shift;
        this.chunks = chunks;
    }

    private static MappedByteBuffer[] map(FileChannel ch, CacheHeader header, long chunkBytes) throws IOException {
        long tokenBytes = header.tokens * header.idBytes;
        int n = (int) ((tokenBytes + chunkBytes - 1) / chunkBytes);
        MappedByteBuffer[] chunks = new MappedByteBuffer[n];
        for (int i = 0; i < n; i++) {
            long from = (long) i * chunkBytes;
            long size = Math.min(chunkBytes, tokenBytes - from);
            chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY, header.tokensOffset + from, size);
            chunks[i].order(ByteOrder.LITTLE_ENDIAN);
        }
        return chunks;
    }

    /** The padding and the index, each byte also into {@code crc}, which has seen the tokens. */
    private static long[] readIndex(FileChannel ch, CacheHeader h, CRC32C crc) throws IOException {
        if (h.documents + 1 > Integer.MAX_VALUE) {
            throw new IOException("too many documents for one cache: " + h.documents);
        }
        ByteBuffer padding = ByteBuffer.allocate((int) (h.indexOffset - h.tokensEnd()));
        readFully(ch, padding, h.tokensEnd());
        crc.update(padding.flip());
        long[] starts = new long[(int) h.documents + 1];
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long pos = h.indexOffset;
        int k = 0;
        while (k < starts.length) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), (long) (starts.length - k) * 8));
            pos += readFully(ch, b, pos);
            b.flip();
            crc.update(b.duplicate());
            while (b.remaining() >= 8) {
                starts[k++] = b.getLong();
            }
        }
        return starts;
    }

    /** Fills {@code b} from {@code pos}; the header has checked the file's size, so the bytes are there. */
    private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        int n = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + n);
            if (r < 0) {
                throw new java.io.EOFException("it was truncated while it was read");
            }
            n += r;
        }
        return n;
    }

    /** With the checksum matched only a writer's bug could fail this; it keeps reads inside the tokens. */
    private static void checkIndex(long[] starts, CacheHeader h, Path file) throws UnusableCacheException {
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] < starts[i - 1] || starts[i] > h.tokens) {
                throw UnusableCacheException.damaged(file, "its document index is not ascending at document " + i);
            }
        }
    }

    public CacheHeader header() {
        return header;
    }

    /** Token positions where each document starts, then the total. */
    public long[] documentStarts() {
        return documentStarts;
    }

    public int get(long i) {
        ByteBuffer c = chunks[(int) (i / chunkTokens)];
        int at = (int) (i % chunkTokens) << shift;
        return shift == 1 ? c.getShort(at) & 0xFFFF : c.getInt(at);
    }

    /** Copies tokens {@code [from, from + count)} into {@code dst[off..]}. */
    public void read(long from, int[] dst, int off, int count) {
        while (count > 0) {
            int chunk = (int) (from / chunkTokens);
            int at = (int) (from % chunkTokens);
            int n = (int) Math.min(count, chunkTokens - at);
            ByteBuffer c = chunks[chunk];
            if (shift == 1) {
                for (int k = 0; k < n; k++) {
                    dst[off + k] = c.getShort((at + k) << 1) & 0xFFFF;
                }
            } else {
                for (int k = 0; k < n; k++) {
                    dst[off + k] = c.getInt((at + k) << 2);
                }
            }
            from += n;
            off += n;
            count -= n;
        }
    }
}

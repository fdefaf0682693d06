package dev.vesper.data.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    /** The cache in {@code file} mapped, or null when there is no valid cache there. */
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
            CacheHeader header = CacheHeader.read(ch);
            if (header == null) {
                return null;
            }
            long[] starts;
            try {
                starts = readIndex(ch, header);
            } catch (IOException damaged) {
                return null;
            }
            return new MappedTokens(ch, header, chunkBytes, starts);
        }
    }

    private MappedTokens(FileChannel ch, CacheHeader header, long chunkBytes, long[] documentStarts) throws IOException {
        this.header = header;
        this.documentStarts = documentStarts;
        this.shift = header.idBytes == 2 ? 1 : 2;
        this.chunkTokens = chunkBytes >> shift;
        long tokenBytes = header.tokens << shift;
        int n = (int) ((tokenBytes + chunkBytes - 1) / chunkBytes);
        this.chunks = new MappedByteBuffer[n];
        for (int i = 0; i < n; i++) {
            long from = (long) i * chunkBytes;
            long size = Math.min(chunkBytes, tokenBytes - from);
            chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY, header.tokensOffset + from, size);
            chunks[i].order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static long[] readIndex(FileChannel ch, CacheHeader h) throws IOException {
        if (h.documents + 1 > Integer.MAX_VALUE) {
            throw new IOException("too many documents for one cache: " + h.documents);
        }
        long[] starts = new long[(int) h.documents + 1];
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long pos = h.indexOffset;
        int k = 0;
        while (k < starts.length) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), (long) (starts.length - k) * 8));
            while (b.hasRemaining()) {
                int r = ch.read(b, pos);
                if (r < 0) {
                    throw new IOException("token cache index is truncated");
                }
                pos += r;
            }
            b.flip();
            while (b.remaining() >= 8) {
                starts[k++] = b.getLong();
            }
        }
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] < starts[i - 1] || starts[i] > h.tokens) {
                throw new IOException("token cache index is not ascending at document " + i);
            }
        }
        return starts;
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

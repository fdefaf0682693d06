package dev.vesper.data.internal.cache;

import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes a token cache atomically: into a temporary file beside the target, then fsync, then an
 * atomic rename, so that a reader sees the old cache or the new one, never half of one. Every
 * byte after the header goes through a CRC32C on its way out, which the header records so that later
 * damage to the file is found when it is opened.
 */
public final class CacheWriter implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C payload = new CRC32C();
    private final int idBytes;
    private final int vocabSize;
    private final int endOfText;
    private long[] starts = new long[1024];
    private long documents;
    private long tokens;
    private long sourceBytes;
    private boolean done;

    public CacheWriter(Path target, int vocabSize, int endOfText) throws IOException {
        this(target, vocabSize, endOfText, CacheTemporaries.create(target));
    }

    /** Writes through {@code temp}, which tests may point at a device that fails. */
    CacheWriter(Path target, int vocabSize, int endOfText, CacheTemporaries.Temp temp) throws IOException {
        this.target = target;
        this.tmp = temp.path();
        this.ch = temp.channel();
        this.idBytes = vocabSize <= 65536 ? 2 : 4;
        this.vocabSize = vocabSize;
        this.endOfText = endOfText;
        try {
            ch.position(CacheHeader.SIZE);
        } catch (IOException e) {
            close();
            throw CacheTemporaries.cannotWrite(target, tmp, e);
        }
    }

    /** Appends one document's ids, then the end-of-text separator when the tokenizer has one. */
    public void add(int[] ids, long textBytes) throws IOException {
        if (documents + 1 >= starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
        }
        starts[(int) documents++] = tokens;
        for (int id : ids) {
            put(id);
        }
        if (endOfText >= 0) {
            put(endOfText);
        }
        sourceBytes += textBytes;
    }

    private void put(int id) throws IOException {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocabSize);
        }
        if (buf.remaining() < 4) {
            drain();
        }
        if (idBytes == 2) {
            buf.putShort((short) id);
        } else {
            buf.putInt(id);
        }
        tokens++;
    }

    /** Writes out the buffer; a failure (a full disk) names the cache file, not only the system's reason. */
    private void drain() throws IOException {
        buf.flip();
        payload.update(buf.duplicate());
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw CacheTemporaries.cannotWrite(target, tmp, e);
        }
        buf.clear();
    }

    /** Writes index and header, syncs, and renames into place. */
    public CacheHeader finish(String tokenizerFingerprint, String sourceFingerprint, String location) throws IOException {
        return finish(tokenizerFingerprint, sourceFingerprint, location, 0, "");
    }

    /** As {@link #finish(String, String, String)}, recording the bad lines the read skipped. */
    public CacheHeader finish(String tokenizerFingerprint, String sourceFingerprint, String location,
                              long skippedLines, String firstSkippedLine) throws IOException {
        long tokensEnd = CacheHeader.SIZE + tokens * idBytes;
        long indexOffset = (tokensEnd + 7) & ~7L;
        for (long p = tokensEnd; p < indexOffset; p++) {
            if (buf.remaining() < 1) {
                drain();
            }
            buf.put((byte) 0);
        }
        starts[(int) documents] = tokens;
        for (long d = 0; d <= documents; d++) {
            if (buf.remaining() < 8) {
                drain();
            }
            buf.putLong(starts[(int) d]);
        }
        drain();
        CacheHeader h = new CacheHeader(idBytes, vocabSize, endOfText, tokens, documents, CacheHeader.SIZE,
                indexOffset, sourceBytes, skippedLines, tokenizerFingerprint, sourceFingerprint, location,
                firstSkippedLine, (int) payload.getValue());
        writeHeaderAndSync(h.encode());
        AtomicFiles.move(tmp, target);
        done = true;
        CacheTemporaries.done(tmp);
        AtomicFiles.fsyncDirectory(target.toAbsolutePath().getParent());
        return h;
    }

    private void writeHeaderAndSync(ByteBuffer head) throws IOException {
        try {
            long pos = 0;
            while (head.hasRemaining()) {
                pos += ch.write(head, pos);
            }
            ch.force(true);
            ch.close();
        } catch (IOException e) {
            throw CacheTemporaries.cannotWrite(target, tmp, e);
        }
    }

    /** Removes the temporary file of a cache that was not finished. */
    @Override
    public void close() throws IOException {
        if (!done) {
            try {
                ch.close();
                Files.deleteIfExists(tmp);
            } finally {
                CacheTemporaries.done(tmp);
            }
        }
    }
}

package dev.vesper.modelio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vesper.api.io.TensorFile;
import dev.vesper.api.io.TensorFileFormat;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.files.AtomicFiles;
import dev.vesper.modelio.HeaderParser.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * SafeTensors (spec section 7): an 8-byte little-endian header length, a JSON header, then the raw
 * little-endian data. Reading trusts nothing in the file: every length is checked against the real
 * file size before anything is allocated from it, so a hostile file costs at most about twice its
 * own size in memory (F16 widens to F32). Floating tensors are written as F32, integer ones as I64.
 */
@Component(service = TensorFileFormat.class, property = "vesper.format=safetensors")
public final class SafeTensors implements TensorFileFormat {
    /** Largest header accepted: the spec's 100 MB, in decimal megabytes as the reference safetensors reader counts them. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA = "__metadata__";
    private static final int CHUNK = 1 << 20;

    private final ObjectMapper json = new ObjectMapper();

    public SafeTensors() {
    }

    @Override
    public String name() {
        return "safetensors";
    }

    @Override
    public TensorFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            long headerLen = readHeaderLength(file, ch, fileSize);
            long dataStart = 8 + headerLen;
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            HeaderParser.parse(file, readFully(ch, 8, (int) headerLen), entries, metadata);
            checkLayout(file, entries, fileSize - dataStart);
            Map<String, Tensor> floats = new LinkedHashMap<>();
            Map<String, IntTensor> ints = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                if (e.dtype.integer) {
                    ints.put(e.name, IntTensor.wrap(readInts(file, ch, dataStart, e, buf), e.shape));
                } else {
                    floats.put(e.name, Tensor.wrap(readFloats(file, ch, dataStart, e, buf), e.shape));
                }
            }
            return new TensorFile(floats, ints, metadata);
        }
    }

    @Override
    public void write(Path file, TensorFile contents) throws IOException {
        ObjectNode header = json.createObjectNode();
        if (!contents.metadata().isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            contents.metadata().forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException(file + ": header: metadata key and value must not be null");
                }
                meta.put(k, v);
            });
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : contents.floats().entrySet()) {
            offset = describe(file, header, e.getKey(), "F32", e.getValue().shape(), offset, 4L * e.getValue().size());
        }
        for (Map.Entry<String, IntTensor> e : contents.ints().entrySet()) {
            offset = describe(file, header, e.getKey(), "I64", e.getValue().shape(), offset, 8L * e.getValue().size());
        }
        byte[] headerBytes = padded(json.writeValueAsBytes(header));
        if (headerBytes.length > MAX_HEADER_BYTES) {
            throw new IOException(file + ": header: " + headerBytes.length + " bytes exceeds the limit of " + MAX_HEADER_BYTES);
        }
        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(headerBytes.length);
            flip(ch, buf);
            ch.write(ByteBuffer.wrap(headerBytes));
            for (Tensor t : contents.floats().values()) {
                float[] d = t.data();
                for (int i = t.offset(), end = t.offset() + t.size(); i < end; i++) {
                    if (buf.remaining() < 4) {
                        flip(ch, buf);
                    }
                    buf.putFloat(d[i]);
                }
            }
            for (IntTensor t : contents.ints().values()) {
                for (int v : t.data()) {
                    if (buf.remaining() < 8) {
                        flip(ch, buf);
                    }
                    buf.putLong(v);
                }
            }
            flip(ch, buf);
        });
    }

    private long describe(Path file, ObjectNode header, String name, String dtype, int[] shape, long offset, long bytes) {
        if (name == null || name.isEmpty() || name.equals(METADATA)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "': not a valid tensor name");
        }
        if (header.has(name)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "': duplicate name");
        }
        ObjectNode t = header.putObject(name);
        t.put("dtype", dtype);
        ArrayNode s = t.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        t.putArray("data_offsets").add(offset).add(offset + bytes);
        return offset + bytes;
    }

    /** SafeTensors pads the header with spaces so that the data starts 8-byte aligned. */
    private static byte[] padded(byte[] header) {
        int pad = (8 - header.length % 8) % 8;
        byte[] out = new byte[header.length + pad];
        System.arraycopy(header, 0, out, 0, header.length);
        for (int i = header.length; i < out.length; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void flip(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    private static long readHeaderLength(Path file, FileChannel ch, long fileSize) throws IOException {
        if (fileSize < 8) {
            throw new IOException(file + ": header: the file has " + fileSize + " bytes, fewer than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(readFully(ch, 0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new IOException(file + ": header: declared length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + n > fileSize) {
            throw new IOException(file + ": header: declared length " + n + " runs past the end of the "
                    + fileSize + "-byte file");
        }
        return n;
    }

    /** Offsets in range, non-overlapping and covering the whole data section without holes. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLen) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.end > dataLen) {
                throw new IOException(e.where(file) + "data_offsets [" + e.begin + ", " + e.end
                        + "] run past the " + dataLen + "-byte data section");
            }
            if (e.begin < expected) {
                throw new IOException(e.where(file) + "data_offsets [" + e.begin + ", " + e.end
                        + "] overlap the previous tensor, which ends at " + expected);
            }
            if (e.begin > expected) {
                // the tensor after a gap is most often fine: one missing from the header left its bytes there
                throw new IOException(file + ": header: data bytes " + expected + " to " + e.begin + " belong to no tensor"
                        + " (is a tensor missing from the header?); the gap ends where tensor '" + e.name + "' starts");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw new IOException(file + ": header: the tensors cover " + expected + " of the " + dataLen
                    + " data bytes; the rest belongs to no tensor");
        }
    }

    private static float[] readFloats(Path file, FileChannel ch, long dataStart, Entry e, ByteBuffer buf) throws IOException {
        float[] out = new float[e.count];
        int i = 0;
        for (long pos = dataStart + e.begin, end = dataStart + e.end; pos < end; ) {
            pos = fill(file, ch, buf, pos, end, e);
            switch (e.dtype) {
                case F32 -> {
                    while (buf.remaining() >= 4) {
                        out[i++] = buf.getFloat();
                    }
                }
                case F16 -> {
                    while (buf.remaining() >= 2) {
                        out[i++] = halfToFloat(buf.getShort());
                    }
                }
                case BF16 -> {
                    while (buf.remaining() >= 2) {
                        out[i++] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                    }
                }
                default -> throw new IllegalStateException(e.dtype.name());
            }
        }
        return out;
    }

    private static int[] readInts(Path file, FileChannel ch, long dataStart, Entry e, ByteBuffer buf) throws IOException {
        int[] out = new int[e.count];
        int i = 0;
        for (long pos = dataStart + e.begin, end = dataStart + e.end; pos < end; ) {
            pos = fill(file, ch, buf, pos, end, e);
            if (e.dtype == DType.I32) {
                while (buf.remaining() >= 4) {
                    out[i++] = buf.getInt();
                }
            } else {
                while (buf.remaining() >= 8) {
                    long v = buf.getLong();
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new IOException(e.where(file) + "element " + i + " = " + v + " does not fit in 32 bits");
                    }
                    out[i++] = (int) v;
                }
            }
        }
        return out;
    }

    /** Reads the next chunk of whole elements into {@code buf}, ready to get; returns the next position. */
    private static long fill(Path file, FileChannel ch, ByteBuffer buf, long pos, long end, Entry e) throws IOException {
        int width = e.dtype.bytes;
        int want = (int) Math.min(buf.capacity() / width * width, end - pos);
        buf.clear().limit(want);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new IOException(e.where(file) + "the file ended while reading its data (truncated?)");
            }
        }
        buf.flip();
        return pos + want;
    }

    private static byte[] readFully(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.array();
    }

    /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    enum DType {
        F32(4, false), F16(2, false), BF16(2, false), I64(8, true), I32(4, true);

        final int bytes;
        final boolean integer;

        DType(int bytes, boolean integer) {
            this.bytes = bytes;
            this.integer = integer;
        }
    }
}

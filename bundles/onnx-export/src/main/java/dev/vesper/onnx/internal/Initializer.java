package dev.vesper.onnx.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One TensorProto initializer with its values in {@code raw_data} (little-endian, as ONNX requires).
 * Its encoded size is known up front and the values are streamed, so the graph's length prefix can be
 * written before any weight is read.
 */
final class Initializer {
    private static final int CHUNK = 1 << 16;

    private final String name;
    private final long[] dims;
    private final Floats floats;
    private final long[] longs;

    private Initializer(String name, long[] dims, Floats floats, long[] longs) {
        this.name = name;
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        long have = floats != null ? floats.size() : longs.length;
        if (count != have) {
            throw new IllegalStateException("initializer " + name + ": " + have + " values for " + count);
        }
    }

    static Initializer floats(String name, Floats values, long... dims) {
        return new Initializer(name, dims, values, null);
    }

    static Initializer longs(String name, long[] values, long... dims) {
        return new Initializer(name, dims, null, values);
    }

    String name() {
        return name;
    }

    private byte[] header() {
        ProtoWriter w = new ProtoWriter();
        if (dims.length > 0) {
            w.packedInt64(Onnx.TENSOR_DIMS, dims);
        }
        return w.int64(Onnx.TENSOR_DATA_TYPE, floats != null ? Onnx.FLOAT : Onnx.INT64)
                .string(Onnx.TENSOR_NAME, name).toByteArray();
    }

    private long payload() {
        return floats != null ? 4L * floats.size() : 8L * longs.length;
    }

    /** The bytes of the TensorProto message, without its own key and length. */
    long size() {
        return header().length + ProtoWriter.lengthPrefixSize(Onnx.TENSOR_RAW_DATA, payload()) + payload();
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(header());
        ProtoWriter.lengthPrefix(out, Onnx.TENSOR_RAW_DATA, payload());
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int n = floats != null ? floats.size() : longs.length;
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 8) {
                flush(buf, out);
            }
            if (floats != null) {
                buf.putFloat(floats.get(i));
            } else {
                buf.putLong(longs[i]);
            }
        }
        flush(buf, out);
    }

    private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}

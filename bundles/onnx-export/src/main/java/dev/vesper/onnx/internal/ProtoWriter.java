package dev.vesper.onnx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, as much of it as ONNX needs: varints, 32-bit floats, and length-delimited
 * strings, bytes and nested messages. Small messages are built in memory, because a length prefix must
 * be known before the message; the large weight payloads are streamed by {@link #lengthPrefix} instead.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int FIXED32 = 5;
    static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32, int64 or enum field; negative values take ten bytes, as protobuf specifies. */
    ProtoWriter int64(int field, long value) {
        tag(out, field, VARINT);
        varint(out, value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(out, field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(out, field, LENGTH_DELIMITED);
        varint(out, value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A repeated int64 written packed, the proto3 default. */
    ProtoWriter packedInt64(int field, long[] values) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long v : values) {
            varint(body, v);
        }
        return bytes(field, body.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Writes the key and length of a length-delimited field whose {@code length} bytes the caller writes next. */
    static void lengthPrefix(OutputStream o, int field, long length) throws IOException {
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        tag(prefix, field, LENGTH_DELIMITED);
        varint(prefix, length);
        prefix.writeTo(o);
    }

    /** The bytes {@link #lengthPrefix} writes, so that an enclosing length can be summed up beforehand. */
    static int lengthPrefixSize(int field, long length) {
        return varintSize((long) field << 3) + varintSize(length);
    }

    private static void tag(ByteArrayOutputStream o, int field, int wireType) {
        varint(o, ((long) field << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream o, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    static int varintSize(long value) {
        int n = 1;
        for (long v = value; (v & ~0x7FL) != 0; v >>>= 7) {
            n++;
        }
        return n;
    }
}

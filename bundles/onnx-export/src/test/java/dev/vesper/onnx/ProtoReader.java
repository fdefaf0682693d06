package dev.vesper.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal protobuf decoder for tests: walks the fields of one message, independent of the writer in
 * main, so that a mistake in the encoder cannot cancel out in the decoder.
 */
final class ProtoReader {
    /** One field: its number, wire type, and either a varint/fixed32 value or a slice of bytes. */
    record Field(int number, int wireType, long value, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        float float32() {
            return Float.intBitsToFloat((int) value);
        }

        ProtoReader message() {
            return new ProtoReader(bytes);
        }

        /** A repeated int64 field, packed (length-delimited) or one plain varint. */
        List<Long> int64s() {
            List<Long> out = new ArrayList<>();
            if (wireType == 0) {
                out.add(value);
                return out;
            }
            int[] pos = {0};
            while (pos[0] < bytes.length) {
                out.add(varint(bytes, pos));
            }
            return out;
        }
    }

    private final byte[] data;

    ProtoReader(byte[] data) {
        this.data = data;
    }

    List<Field> fields() {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = varint(data, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case 0 -> out.add(new Field(number, type, varint(data, pos), null));
                case 1 -> {
                    long v = ByteBuffer.wrap(data, pos[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    pos[0] += 8;
                    out.add(new Field(number, type, v, null));
                }
                case 2 -> {
                    int len = Math.toIntExact(varint(data, pos));
                    byte[] b = new byte[len];
                    System.arraycopy(data, pos[0], b, 0, len);
                    pos[0] += len;
                    out.add(new Field(number, type, 0, b));
                }
                case 5 -> {
                    long v = ByteBuffer.wrap(data, pos[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                    pos[0] += 4;
                    out.add(new Field(number, type, v, null));
                }
                default -> throw new IllegalStateException("wire type " + type + " at byte " + pos[0]);
            }
        }
        if (pos[0] != data.length) {
            throw new IllegalStateException("message overruns its length");
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[pos[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }
}

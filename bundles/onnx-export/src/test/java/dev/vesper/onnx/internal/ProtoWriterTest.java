package dev.vesper.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The wire encoding against the worked examples of the protobuf encoding guide. */
class ProtoWriterTest {
    @Test
    void varintsStringsAndPackedFields() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'), new ProtoWriter().string(2, "testing").toByteArray());
        assertArrayEquals(bytes(0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05),
                new ProtoWriter().packedInt64(4, new long[] {3, 270, 86942}).toByteArray());
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, new ProtoWriter().int64(1, 150)).toByteArray());
    }

    @Test
    void negativeIntsTakeTenBytesAndFloatsFour() {
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().int64(1, -1).toByteArray());
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1f).toByteArray());
    }

    @Test
    void streamedPrefixMatchesItsSize() throws IOException {
        for (long len : new long[] {0, 127, 128, 300_000_000L}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ProtoWriter.lengthPrefix(out, 9, len);
            assertEquals(out.size(), ProtoWriter.lengthPrefixSize(9, len));
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}

package dev.vesper.data.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that says where the first bad byte is. */
final class Utf8 {
    /** Invalid UTF-8 at a 1-based character column. */
    static final class BadBytes extends CharacterCodingException {
        private static final long serialVersionUID = 1L;
        final long column;

        BadBytes(long column) {
            this.column = column;
        }
    }

    private Utf8() {
    }

    static String decode(byte[] bytes, int length) throws BadBytes {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            throw new BadBytes(out.position() + 1);
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    /** UTF-8 length of a string, without encoding it. */
    static long length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

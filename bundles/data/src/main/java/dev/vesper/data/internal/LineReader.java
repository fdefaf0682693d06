package dev.vesper.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Lines of raw bytes, split at '\n' (a '\r' before it and a leading byte order mark are dropped), numbered from 1. */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private long number;
    private boolean eof;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line; false at the end of the input. */
    boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                if (eof) {
                    break;
                }
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    eof = true;
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos);
            if (pos < limit) {
                pos++;
                number++;
                trimCarriageReturn();
                return true;
            }
        }
        if (!any) {
            return false;
        }
        number++;
        trimCarriageReturn();
        return true;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }

    private void trimCarriageReturn() {
        if (number == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            // a UTF-8 byte order mark is not text
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    long number() {
        return number;
    }
}

package dev.vesper.tokenizer.internal;

/**
 * GPT-2 pre-tokenization, as the Hugging Face ByteLevel pre-tokenizer does it with the pattern
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, written as a
 * scanner over UTF-8 bytes: faster than a regex, and it also accepts bytes that are not valid UTF-8
 * (each such byte stands alone as a "other" character, so any byte string can be encoded).
 */
public final class PreTokenizer {
    /** Receives each pre-token as a byte range. */
    public interface WordSink {
        void word(byte[] bytes, int from, int to);
    }

    static final byte LETTER = 0;
    static final byte NUMBER = 1;
    static final byte SPACE = 2;
    static final byte OTHER = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classify(c);
        }
    }

    private PreTokenizer() {
    }

    /** Splits {@code bytes[from, to)} into pre-tokens, in order. */
    public static void split(byte[] bytes, int from, int to, WordSink sink) {
        int max = to - from;
        int[] cps = new int[max];
        byte[] cls = new byte[max];
        int[] off = new int[max + 1];
        int n = decode(bytes, from, to, cps, cls, off);
        int i = 0;
        while (i < n) {
            int end = matchAt(cps, cls, n, i);
            sink.word(bytes, off[i], off[end]);
            i = end;
        }
    }

    /** The end (exclusive, in characters) of the pre-token that starts at {@code i}. */
    private static int matchAt(int[] cps, byte[] cls, int n, int i) {
        int c = cps[i];
        if (c == '\'' && i + 1 < n) {
            int c1 = cps[i + 1];
            if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
                return i + 2;
            }
            if (i + 2 < n) {
                int c2 = cps[i + 2];
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                    return i + 3;
                }
            }
        }
        int j = (c == ' ' && i + 1 < n && cls[i + 1] != SPACE) ? i + 1 : i;
        if (j > i || cls[i] != SPACE) {
            byte kind = cls[j];
            int end = j + 1;
            while (end < n && cls[end] == kind) {
                end++;
            }
            return end;
        }
        int end = i + 1;
        while (end < n && cls[end] == SPACE) {
            end++;
        }
        // \s+(?!\S): a run of spaces before a non-space leaves its last space to the next token
        return end == n || end - i == 1 ? end : end - 1;
    }

    /**
     * Decodes UTF-8 into code points with their classes and byte offsets; a byte that does not
     * start a valid sequence becomes one character of class OTHER (code point -1).
     */
    static int decode(byte[] b, int from, int to, int[] cps, byte[] cls, int[] off) {
        int n = 0;
        int p = from;
        while (p < to) {
            int b0 = b[p] & 0xFF;
            int cp;
            int len;
            if (b0 < 0x80) {
                cp = b0;
                len = 1;
            } else {
                cp = -1;
                len = 1;
                if (b0 >= 0xC2 && b0 <= 0xDF && p + 1 < to && cont(b[p + 1])) {
                    cp = ((b0 & 0x1F) << 6) | (b[p + 1] & 0x3F);
                    len = 2;
                } else if (b0 >= 0xE0 && b0 <= 0xEF && p + 2 < to && cont(b[p + 1]) && cont(b[p + 2])) {
                    int v = ((b0 & 0x0F) << 12) | ((b[p + 1] & 0x3F) << 6) | (b[p + 2] & 0x3F);
                    if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                        cp = v;
                        len = 3;
                    }
                } else if (b0 >= 0xF0 && b0 <= 0xF4 && p + 3 < to && cont(b[p + 1]) && cont(b[p + 2])
                        && cont(b[p + 3])) {
                    int v = ((b0 & 0x07) << 18) | ((b[p + 1] & 0x3F) << 12) | ((b[p + 2] & 0x3F) << 6)
                            | (b[p + 3] & 0x3F);
                    if (v >= 0x10000 && v <= 0x10FFFF) {
                        cp = v;
                        len = 4;
                    }
                }
            }
            cps[n] = cp;
            cls[n] = cp < 0 ? OTHER : cp < 128 ? ASCII[cp] : classify(cp);
            off[n] = p;
            n++;
            p += len;
        }
        off[n] = to;
        return n;
    }

    private static boolean cont(byte x) {
        return (x & 0xC0) == 0x80;
    }

    static byte classify(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            default:
                return OTHER;
        }
    }

    /** Unicode White_Space, which is what \s means to the regex engine of Hugging Face tokenizers. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}

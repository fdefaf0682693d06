package dev.vesper.api.tensor;

/** Shape arithmetic and the one way shapes are printed in messages: {@code [2,3]}. */
public final class Shapes {
    private Shapes() {
    }

    /** The number of elements of a shape; rejects negative dimensions and int overflow. */
    public static int size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + format(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    public static String format(int... shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /**
     * The shape of {@code op(a)·op(b)} over the last two dimensions, where leading (batch) dimensions
     * must agree or one operand is 2-D and broadcast. Throws naming both shapes, for example
     * {@code matmul: [2,3] x [4,5]: inner dimensions 3 and 4 differ}.
     */
    public static int[] matmul(int[] a, boolean transposeA, int[] b, boolean transposeB) {
        String what = "matmul: " + format(a) + (transposeA ? "^T" : "") + " x " + format(b) + (transposeB ? "^T" : "");
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException(what + ": both operands need at least 2 dimensions");
        }
        int m = transposeA ? a[a.length - 1] : a[a.length - 2];
        int ka = transposeA ? a[a.length - 2] : a[a.length - 1];
        int kb = transposeB ? b[b.length - 1] : b[b.length - 2];
        int n = transposeB ? b[b.length - 2] : b[b.length - 1];
        if (ka != kb) {
            throw new IllegalArgumentException(what + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        int[] batch;
        if (a.length == 2) {
            batch = java.util.Arrays.copyOf(b, b.length - 2);
        } else if (b.length == 2) {
            batch = java.util.Arrays.copyOf(a, a.length - 2);
        } else {
            batch = java.util.Arrays.copyOf(a, a.length - 2);
            if (!java.util.Arrays.equals(batch, java.util.Arrays.copyOf(b, b.length - 2))) {
                throw new IllegalArgumentException(what + ": batch dimensions differ");
            }
        }
        int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        return out;
    }

    /** Whether {@code suffix} equals the last dimensions of {@code shape} (broadcast over leading dims). */
    public static boolean isSuffix(int[] suffix, int[] shape) {
        if (suffix.length > shape.length) {
            return false;
        }
        for (int i = 1; i <= suffix.length; i++) {
            if (suffix[suffix.length - i] != shape[shape.length - i]) {
                return false;
            }
        }
        return true;
    }

    /** Resolves a requested shape with at most one -1 against a known element count. */
    static int[] resolve(int[] requested, int size, int[] from) {
        int[] s = requested.clone();
        int free = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && free < 0) {
                free = i;
            } else {
                known *= s[i];
            }
        }
        if (free >= 0 && known > 0 && size % known == 0) {
            s[free] = (int) (size / known);
        }
        if (free >= 0 && s[free] == -1 || size(s) != size) {
            throw new IllegalArgumentException("view: cannot view " + format(from) + " as " + format(requested));
        }
        return s;
    }
}

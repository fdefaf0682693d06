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

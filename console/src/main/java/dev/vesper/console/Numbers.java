package dev.vesper.console;

/**
 * Numeric options, parsed by the commands rather than by Gogo: Gogo's own coercion fails with
 * "Cannot coerce generate(Token, Token) to any of [...]", which names neither the option nor the value.
 */
final class Numbers {
    private Numbers() {
    }

    static int whole(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw notWhole(option, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    static long wholeLong(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw notWhole(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** A whole number out of range is said to be one, too large or too small, rather than called no number. */
    private static IllegalArgumentException notWhole(String option, String value, long min, long max) {
        String v = value.trim();
        if (v.matches("[-+]?\\d+")) {
            boolean large = new java.math.BigInteger(v).signum() > 0;
            return new IllegalArgumentException(option + " is too " + (large ? "large (at most " + max : "small (at least " + min)
                    + "), got " + v);
        }
        return new IllegalArgumentException(option + " expects a whole number, got '" + value + "'");
    }

    static float decimal(String option, String value) {
        try {
            float f = Float.parseFloat(value.trim());
            if (!Float.isFinite(f)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
        }
    }

    static int positive(String option, String value) {
        int v = whole(option, value);
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be > 0, got " + v);
        }
        return v;
    }

    static float positiveDecimal(String option, String value) {
        float v = decimal(option, value);
        if (!(v > 0)) {
            throw new IllegalArgumentException(option + " must be > 0, got " + value);
        }
        return v;
    }
}

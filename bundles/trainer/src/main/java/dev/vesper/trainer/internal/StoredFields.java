package dev.vesper.trainer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The fields of an object read back from a JSON file the trainer wrote ({@code trainer.json}), each with its type
 * and range checked. A hand-edited or damaged file would otherwise fail later with a ClassCastException, or a
 * message that names no file; here a wrong field is refused with its path ({@code config.batch: expected an
 * integer >= 1, got 0}), to which the caller adds the file's.
 */
final class StoredFields {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A value longer than this is cut in messages: a wrong field may hold a whole object. */
    private static final int SHOWN = 60;

    private final Map<String, Object> m;
    /** The path of this object's fields: "" at the top, "config." inside {@code config}. */
    private final String prefix;

    private StoredFields(Map<String, Object> m, String prefix) {
        this.m = m;
        this.prefix = prefix;
    }

    /** The fields of a file's top-level object. */
    static StoredFields of(Map<String, Object> m) {
        return new StoredFields(m, "");
    }

    /** The fields of the object {@code m}, itself the field {@code path} of its file. */
    static StoredFields of(Map<String, Object> m, String path) {
        return new StoredFields(m, path + ".");
    }

    /** A required object, whose fields are named below this one's. */
    StoredFields object(String key) {
        return new StoredFields(map(key), prefix + key + ".");
    }

    /** A required object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?>)) {
            throw wrong(key, "an object", v);
        }
        return (Map<String, Object>) v;
    }

    /** An object that files written before it existed leave out: {@code absent} then. */
    Map<String, Object> mapOr(String key, Map<String, Object> absent) {
        return m.containsKey(key) ? map(key) : absent;
    }

    List<?> list(String key) {
        Object v = m.get(key);
        if (!(v instanceof List<?> l)) {
            throw wrong(key, "a list", v);
        }
        return l;
    }

    /** A required string that names something, so not blank. */
    String name(String key) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw wrong(key, "a non-empty string", v);
        }
        return s;
    }

    /** A string that names something, or null where none was used (no adapter). */
    String nameOrNull(String key) {
        return m.get(key) == null ? null : name(key);
    }

    /** A string that files written before it existed leave out: {@code absent} then. */
    String nameOr(String key, String absent) {
        return m.containsKey(key) ? name(key) : absent;
    }

    /** One of {@code allowed}, or null. */
    String oneOfOrNull(String key, List<String> allowed) {
        String s = nameOrNull(key);
        if (s != null && !allowed.contains(s)) {
            throw wrong(key, "one of " + allowed, s);
        }
        return s;
    }

    String oneOf(String key, List<String> allowed) {
        String s = name(key);
        if (!allowed.contains(s)) {
            throw wrong(key, "one of " + allowed, s);
        }
        return s;
    }

    /** A boolean that files written before it existed leave out: {@code absent} then. */
    boolean booleanOr(String key, boolean absent) {
        if (!m.containsKey(key)) {
            return absent;
        }
        if (!(m.get(key) instanceof Boolean b)) {
            throw wrong(key, "true or false", m.get(key));
        }
        return b;
    }

    /** A whole number in long range, as a seed. */
    long integer(String key) {
        Object v = m.get(key);
        Long n = whole(v);
        if (n == null) {
            throw wrong(key, "an integer", v);
        }
        return n;
    }

    /** A whole number of at least {@code min}. */
    long integer(String key, long min) {
        Object v = m.get(key);
        Long n = whole(v);
        if (n == null || n < min) {
            throw wrong(key, "an integer >= " + min, v);
        }
        return n;
    }

    /** A whole number of at least {@code min} that fits an int, as the counts a run's arrays are sized by. */
    int smallInteger(String key, int min) {
        Object v = m.get(key);
        Long n = whole(v);
        if (n == null || n < min || n > Integer.MAX_VALUE) {
            throw wrong(key, "an integer in [" + min + ", " + Integer.MAX_VALUE + "]", v);
        }
        return n.intValue();
    }

    /** A number that {@code ok} accepts, {@code expected} saying which. */
    double number(String key, String expected, DoublePredicate ok) {
        Object v = m.get(key);
        if (!(v instanceof Number n) || !ok.test(n.doubleValue())) {
            throw wrong(key, expected, v);
        }
        return n.doubleValue();
    }

    /** A number, or NaN where the file has none (null, or "NaN" as a loss that was not finite is kept). */
    double numberOrNaN(String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** {@code v} as a long when it is a whole number in long range; else null. */
    private static Long whole(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < Long.SIZE ? b.longValue() : null;
        }
        if (v instanceof Number n) {
            // 4.0 is a whole number as JSON writes it; 4.5 and 1e30 are not counts
            try {
                return new BigDecimal(n.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException notWhole) {
                return null;
            }
        }
        return null;
    }

    /** The refusal of field {@code key}: its path, what it should hold, and what it holds. */
    IllegalArgumentException wrong(String key, String expected, Object got) {
        if (!m.containsKey(key)) {
            return new IllegalArgumentException(prefix + key + ": missing (expected " + expected + ")");
        }
        return new IllegalArgumentException(prefix + key + ": expected " + expected + ", got " + show(got));
    }

    /** {@code got} as the file has it: a string quoted, an object as JSON. */
    private static String show(Object got) {
        String text;
        try {
            text = JSON.writeValueAsString(got);
        } catch (JsonProcessingException e) {
            text = String.valueOf(got);
        }
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "…";
    }
}

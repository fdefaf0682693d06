package dev.vesper.optim.support;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Reads an optimizer's options map ({@link dev.vesper.api.optim.OptimizerFactory#create}): numbers
 * arrive as {@link Number} or as text, switches as {@link Boolean} or {@code "true"}/{@code "false"}.
 * Every error names the option and the optimizer. After reading, {@link #rejectUnknown()} refuses keys
 * that nobody asked for, so a misspelt option is an error rather than silently ignored.
 */
public final class OptionReader {
    private final String optimizer;
    private final Map<String, Object> options;
    private final Set<String> known = new LinkedHashSet<>();

    public OptionReader(String optimizer, Map<String, Object> options) {
        this.optimizer = optimizer;
        this.options = options == null ? Map.of() : options;
    }

    /** Whether the option was given (and not null). */
    public boolean has(String key) {
        known.add(key);
        return options.get(key) != null;
    }

    public double number(String key, double defaultValue) {
        known.add(key);
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            try {
                return Double.parseDouble(((String) value).trim());
            } catch (NumberFormatException e) {
                throw bad(key, "expected a number, got '" + value + "'");
            }
        }
        throw bad(key, "expected a number, got " + value.getClass().getSimpleName() + " " + value);
    }

    public int integer(String key, int defaultValue) {
        double d = number(key, defaultValue);
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw bad(key, "expected a whole number, got " + options.get(key));
        }
        return (int) d;
    }

    public boolean flag(String key, boolean defaultValue) {
        known.add(key);
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String) {
            String s = ((String) value).trim();
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw bad(key, "expected true or false, got '" + value + "'");
    }

    /** Text; a collection of strings is joined with commas. */
    public String text(String key, String defaultValue) {
        known.add(key);
        Object value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Collection) {
            StringJoiner j = new StringJoiner(",");
            for (Object o : (Collection<?>) value) {
                j.add(String.valueOf(o));
            }
            return j.toString();
        }
        throw bad(key, "expected text, got " + value.getClass().getSimpleName() + " " + value);
    }

    /** A number in {@code [min, max)} (or {@code [min, max]} when {@code maxInclusive}). */
    public double range(String key, double defaultValue, double min, double max, boolean maxInclusive) {
        double d = number(key, defaultValue);
        boolean ok = d >= min && (maxInclusive ? d <= max : d < max);
        if (!ok) {
            throw bad(key, "must be in [" + min + ", " + max + (maxInclusive ? "]" : ")") + ", got " + d);
        }
        return d;
    }

    /** A finite number {@code >= 0}. */
    public double nonNegative(String key, double defaultValue) {
        double d = number(key, defaultValue);
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw bad(key, "must be a finite number >= 0, got " + d);
        }
        return d;
    }

    /** A finite number {@code > 0}. */
    public double positive(String key, double defaultValue) {
        double d = number(key, defaultValue);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw bad(key, "must be a finite number > 0, got " + d);
        }
        return d;
    }

    /** Refuses every option that was not read, naming them and the known ones. */
    public void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " for optimizer " + optimizer + "; known: " + new TreeSet<>(known));
        }
    }

    /** An error naming the option and this optimizer. */
    public IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException("optimizer " + optimizer + ", option '" + key + "': " + why);
    }
}

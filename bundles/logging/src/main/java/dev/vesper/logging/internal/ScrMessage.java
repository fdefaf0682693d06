package dev.vesper.logging.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a message Felix SCR logged about a component, by the prefix SCR gives it:
 * {@code bundle acme.plugin:1.0.0 (36)[acme.Plugin(0)] : Error during instantiation ...}.
 */
final class ScrMessage {
    private static final Pattern PREFIX =
            Pattern.compile("bundle \\S+:\\S+ \\(\\d+\\)\\[.+?\\(-?\\d+\\)\\] : (.*)", Pattern.DOTALL);

    private ScrMessage() {
    }

    /** What SCR says in {@code message}, without the prefix; null when SCR did not write it about a component. */
    static String text(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = PREFIX.matcher(message);
        return m.matches() ? m.group(1) : null;
    }
}

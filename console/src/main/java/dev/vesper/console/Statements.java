package dev.vesper.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo command line at its top-level {@code ;}, so that a one-shot {@code bin/vesper a \; b}
 * can show what each command returns (Gogo itself returns only the last value). A {@code ;} inside
 * quotes, after a backslash or inside {@code { }}, {@code [ ]} or {@code ( )} stays where it is.
 */
final class Statements {
    private Statements() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= line.length()) {
            int end = from + firstTopLevel(line.substring(from), ";");
            add(out, line.substring(from, end));
            from = end + 1;
        }
        return out;
    }

    /** Where the first top-level character of {@code separators} (such as {@code ;} or {@code |}) is, or the length. */
    static int firstTopLevel(String line, String separators) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && separators.indexOf(c) >= 0) {
                return i;
            }
        }
        return line.length();
    }

    private static void add(List<String> out, String statement) {
        if (!statement.isBlank()) {
            out.add(statement.trim());
        }
    }
}

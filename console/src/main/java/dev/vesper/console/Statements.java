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
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(c).append(line.charAt(++i));
                continue;
            }
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0) {
                add(out, current);
                continue;
            }
            current.append(c);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        if (!statement.toString().isBlank()) {
            out.add(statement.toString().trim());
        }
        statement.setLength(0);
    }
}

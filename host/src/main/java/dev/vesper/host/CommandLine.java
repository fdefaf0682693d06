package dev.vesper.host;

/**
 * Joins shell arguments back into one Gogo command line, quoting where Gogo would split. An argument
 * that is a lone {@code ;} (written {@code \;} or {@code ';'} in the shell) stays a separator, so one
 * invocation can run several commands in one session: {@code bin/vesper load <dir> \; generate Once}.
 */
final class CommandLine {
    private CommandLine() {
    }

    static String join(String[] args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.equals(";") || !needsQuotes(a) ? a : quote(a));
        }
        return sb.toString();
    }

    /** Also quotes Gogo's glob characters: unquoted, hf://datasets/o/n/*.jsonl would be expanded as a local path. */
    private static boolean needsQuotes(String a) {
        if (a.isEmpty()) {
            return true;
        }
        for (char c : a.toCharArray()) {
            if (Character.isWhitespace(c) || "\"'|;&(){}[]$<>=\\#*?~".indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gogo takes single-quoted text literally. A single quote inside is closed, escaped and reopened, as in a
     * POSIX shell ({@code 'Tom'\''s dog'}): Gogo cannot read one inside double quotes.
     */
    private static String quote(String a) {
        return "'" + a.replace("'", "'\\''") + "'";
    }
}

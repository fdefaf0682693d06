package dev.vesper.host;

/** Joins shell arguments back into one Gogo command line, quoting where Gogo would split. */
final class CommandLine {
    private CommandLine() {
    }

    static String join(String[] args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(needsQuotes(a) ? quote(a) : a);
        }
        return sb.toString();
    }

    private static boolean needsQuotes(String a) {
        if (a.isEmpty()) {
            return true;
        }
        for (char c : a.toCharArray()) {
            if (Character.isWhitespace(c) || "\"'|;&(){}[]$<>=\\#".indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Gogo takes single-quoted text literally; text holding a single quote goes in double quotes. */
    private static String quote(String a) {
        if (a.indexOf('\'') < 0) {
            return "'" + a + "'";
        }
        return '"' + a.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + '"';
    }
}

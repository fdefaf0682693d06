package dev.vesper.api.data;

/**
 * How a source reads documents: the JSON field holding the text (default {@code text}), and
 * whether malformed lines are skipped (and counted) rather than fatal.
 */
public final class ReadOptions {
    private final String field;
    private final boolean skipBadLines;

    public ReadOptions(String field, boolean skipBadLines) {
        this.field = field == null || field.isBlank() ? "text" : field;
        this.skipBadLines = skipBadLines;
    }

    public static ReadOptions defaults() {
        return new ReadOptions("text", false);
    }

    public String field() {
        return field;
    }

    public boolean skipBadLines() {
        return skipBadLines;
    }
}

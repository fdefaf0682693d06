package dev.vesper.api.data;

/**
 * How a source reads documents: the JSON field holding the text (default {@code text}), the fields of
 * prompt/response pairs (default {@code prompt} and {@code response}, used when the text field is
 * absent), how plain text is cut into documents (default: at blank lines), and whether malformed
 * lines are skipped (and counted) rather than fatal.
 */
public final class ReadOptions {
    /** How plain text files become documents. */
    public enum TextSplit {
        /** Each file is one document. */
        FILE,
        /** Runs of non-blank lines are documents; blank (or whitespace-only) lines separate them. */
        BLANK_LINES
    }

    private final String field;
    private final boolean skipBadLines;
    private final TextSplit textSplit;
    private final String promptField;
    private final String responseField;

    public ReadOptions(String field, boolean skipBadLines) {
        this(field, skipBadLines, TextSplit.BLANK_LINES, "prompt", "response");
    }

    public ReadOptions(String field, boolean skipBadLines, TextSplit textSplit, String promptField, String responseField) {
        this.field = orDefault(field, "text");
        this.skipBadLines = skipBadLines;
        this.textSplit = textSplit == null ? TextSplit.BLANK_LINES : textSplit;
        this.promptField = orDefault(promptField, "prompt");
        this.responseField = orDefault(responseField, "response");
    }

    public static ReadOptions defaults() {
        return new ReadOptions("text", false);
    }

    public ReadOptions withField(String textField) {
        return new ReadOptions(textField, skipBadLines, textSplit, promptField, responseField);
    }

    public ReadOptions withPairFields(String prompt, String response) {
        return new ReadOptions(field, skipBadLines, textSplit, prompt, response);
    }

    public ReadOptions withTextSplit(TextSplit split) {
        return new ReadOptions(field, skipBadLines, split, promptField, responseField);
    }

    public ReadOptions withSkipBadLines(boolean skip) {
        return new ReadOptions(field, skip, textSplit, promptField, responseField);
    }

    public String field() {
        return field;
    }

    public boolean skipBadLines() {
        return skipBadLines;
    }

    public TextSplit textSplit() {
        return textSplit;
    }

    public String promptField() {
        return promptField;
    }

    public String responseField() {
        return responseField;
    }

    /** A stable text form, for fingerprints and cache names. */
    @Override
    public String toString() {
        return "field=" + field + ",prompt=" + promptField + ",response=" + responseField + ",split=" + textSplit
                + ",skipBadLines=" + skipBadLines;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}

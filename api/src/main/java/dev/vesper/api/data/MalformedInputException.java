package dev.vesper.api.data;

import java.io.IOException;

/**
 * Input that cannot be parsed; the message starts with {@code file:line:column:}. It is {@link #skippable()}
 * when it spoils one record only (a line of JSONL or text, one element of a JSON array), which
 * {@link ReadOptions#skipBadLines()} would count and pass over, and not the file's structure.
 */
public class MalformedInputException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long line;
    private final long column;
    private final boolean skippable;

    public MalformedInputException(String file, long line, long column, String reason) {
        this(file, line, column, reason, false);
    }

    /** @since 1.2 */
    public MalformedInputException(String file, long line, long column, String reason, boolean skippable) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.skippable = skippable;
    }

    /** Whether skipping bad records would pass over this one. @since 1.2 */
    public boolean skippable() {
        return skippable;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}

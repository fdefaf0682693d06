package dev.vesper.api.data;

import java.io.IOException;

/** Input that cannot be parsed; the message starts with {@code file:line:column:}. */
public class MalformedInputException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long line;
    private final long column;

    public MalformedInputException(String file, long line, long column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
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

package dev.vesper.api.data;

/**
 * What a read produced: documents, their UTF-8 bytes, bad lines skipped (with the first one's
 * position), and the input's fingerprint.
 */
public final class ReadSummary {
    private final long documents;
    private final long bytes;
    private final long badLines;
    private final String firstBadLine;
    private final String fingerprint;

    public ReadSummary(long documents, long badLines, String firstBadLine, String fingerprint) {
        this(documents, -1, badLines, firstBadLine, fingerprint);
    }

    public ReadSummary(long documents, long bytes, long badLines, String firstBadLine, String fingerprint) {
        this.documents = documents;
        this.bytes = bytes;
        this.badLines = badLines;
        this.firstBadLine = firstBadLine;
        this.fingerprint = fingerprint;
    }

    public long documents() {
        return documents;
    }

    /** UTF-8 bytes of the documents' text ({@link Document#text()}), or -1 when not counted. */
    public long bytes() {
        return bytes;
    }

    public long badLines() {
        return badLines;
    }

    /** {@code file:line:column: reason} of the first bad line skipped, or null. */
    public String firstBadLine() {
        return firstBadLine;
    }

    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return documents + " documents, " + bytes + " bytes" + (badLines > 0
                ? ", " + badLines + " bad lines skipped (first: " + firstBadLine + ")" : "");
    }
}

package dev.vesper.api.data;

/** What a read produced: documents, bad lines skipped (with the first one's position), fingerprint. */
public final class ReadSummary {
    private final long documents;
    private final long badLines;
    private final String firstBadLine;
    private final String fingerprint;

    public ReadSummary(long documents, long badLines, String firstBadLine, String fingerprint) {
        this.documents = documents;
        this.badLines = badLines;
        this.firstBadLine = firstBadLine;
        this.fingerprint = fingerprint;
    }

    public long documents() {
        return documents;
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
}

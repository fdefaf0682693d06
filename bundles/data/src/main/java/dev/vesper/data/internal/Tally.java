package dev.vesper.data.internal;

import dev.vesper.api.data.Document;
import dev.vesper.api.data.MalformedInputException;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import java.util.function.Consumer;

/**
 * Passes documents on while counting them and their bytes, and decides what a bad line does:
 * fatal, or counted and skipped when the read options say so.
 */
public final class Tally {
    private final Consumer<Document> sink;
    private final boolean skipBadLines;
    private long documents;
    private long bytes;
    private long badLines;
    private String firstBadLine;

    public Tally(Consumer<Document> sink, ReadOptions options) {
        this.sink = sink;
        this.skipBadLines = options.skipBadLines();
    }

    public void accept(Document d) {
        documents++;
        bytes += Utf8.length(d.text());
        sink.accept(d);
    }

    /** A malformed line: thrown, or counted when skipping. */
    public void bad(MalformedInputException e) throws MalformedInputException {
        if (!skipBadLines) {
            throw e;
        }
        if (badLines++ == 0) {
            firstBadLine = e.getMessage();
        }
    }

    public ReadSummary summary(String fingerprint) {
        return new ReadSummary(documents, bytes, badLines, firstBadLine, fingerprint);
    }
}

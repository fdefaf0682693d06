package dev.vesper.api.data;

import java.io.IOException;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads documents from locations of one URI scheme ({@code file}, {@code hf}, {@code builtin}).
 * Registered with {@link #PROPERTY} set to the scheme. Local paths without a scheme are {@code file}.
 */
@ConsumerType
public interface DatasetSource {
    /** Service property naming the scheme, for example {@code vesper.data.scheme=hf}. */
    String PROPERTY = "vesper.data.scheme";

    String scheme();

    /**
     * Streams every document at {@code location} to {@code sink}, in a stable order.
     *
     * @return a summary: documents read, bad lines skipped, and a fingerprint of the input
     * @throws IOException or {@link MalformedInputException} naming file, line and column
     */
    ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException;

    /**
     * A fingerprint that changes when the data at {@code location} changes (sizes, times, revision),
     * cheap to compute, so that token caches know when to rebuild.
     */
    String fingerprint(String location, ReadOptions options) throws IOException;
}

package dev.vesper.api.data;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
     * The scheme that picks the source for {@code location}, in lower case ({@code hf} for
     * {@code hf://datasets/...}), or null for a file path: one without a scheme, or with a one-letter drive
     * such as {@code C:}. Front ends use it to tell a path (to resolve against their working folder) from
     * a location they pass on as it is.
     *
     * @since 1.5
     */
    static String schemeOf(String location) {
        // RFC 3986's scheme syntax, of at least two characters so that a drive letter stays a path
        Matcher m = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):").matcher(location);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

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

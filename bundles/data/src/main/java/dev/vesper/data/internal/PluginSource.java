package dev.vesper.data.internal;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * A dataset source from another bundle, whose unexpected exceptions become an {@link IOException} naming
 * the source, its bundle and the location: a third party's bug then reads as that plug-in's failure on that
 * input, not as Vesper's. Its {@code IllegalArgumentException}s (a bad location, said on purpose) and I/O
 * errors pass unchanged.
 */
public final class PluginSource implements DatasetSource {
    private final DatasetSource source;
    private final String scheme;
    private final String bundle;

    /**
     * {@code source} guarded when it comes from a bundle other than {@code own}'s, or as it is. Only the DS
     * binding calls this: the OSGi framework classes it needs are there only inside a framework.
     */
    public static DatasetSource guardForeign(DatasetSource source, String scheme, Class<?> own) {
        Bundle theirs = FrameworkUtil.getBundle(source.getClass());
        return theirs != null && !theirs.equals(FrameworkUtil.getBundle(own))
                ? new PluginSource(source, scheme, theirs.getSymbolicName()) : source;
    }

    public PluginSource(DatasetSource source, String scheme, String bundle) {
        this.source = source;
        this.scheme = scheme;
        this.bundle = bundle;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
        try {
            return source.read(location, options, document -> {
                try {
                    sink.accept(document);
                } catch (RuntimeException ours) {
                    throw new SinkFailure(ours);
                }
            });
        } catch (SinkFailure ours) {
            throw ours.getCause(); // Vesper's own, thrown through the plug-in: not the plug-in's fault
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw failed(location, e);
        }
    }

    /** Carries an exception of the sink's through the plug-in's frames, to be told apart from the plug-in's own. */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    @Override
    public String fingerprint(String location, ReadOptions options) throws IOException {
        try {
            return source.fingerprint(location, options);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw failed(location, e);
        }
    }

    private IOException failed(String location, Throwable e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new IOException("data source '" + scheme + "' (bundle " + bundle + ") failed on " + location + ": "
                + reason, e);
    }
}

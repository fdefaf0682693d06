package dev.vesper.data.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A third-party source's bug reads as its own failure on that location; what it says on purpose passes unchanged. */
class PluginSourceTest {
    /** Throws what it is given, from both methods. */
    record Throwing(RuntimeException e) implements DatasetSource {
        @Override
        public String scheme() {
            return "acme";
        }

        @Override
        public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) {
            throw e;
        }

        @Override
        public String fingerprint(String location, ReadOptions options) {
            throw e;
        }
    }

    @Test
    void aBugBecomesAnIoErrorNamingTheSourceItsBundleAndTheLocation() {
        IllegalStateException bug = new IllegalStateException("acme source blew up");
        PluginSource s = new PluginSource(new Throwing(bug), "acme", "com.acme.data");
        IOException read = assertThrows(IOException.class, () -> s.read("acme:foo", ReadOptions.defaults(), d -> { }));
        assertEquals("data source 'acme' (bundle com.acme.data) failed on acme:foo: acme source blew up", read.getMessage());
        assertSame(bug, read.getCause());
        IOException fp = assertThrows(IOException.class, () -> s.fingerprint("acme:bar", ReadOptions.defaults()));
        assertEquals("data source 'acme' (bundle com.acme.data) failed on acme:bar: acme source blew up", fp.getMessage());
        IOException npe = assertThrows(IOException.class,
                () -> new PluginSource(new Throwing(new NullPointerException()), "acme", "b").fingerprint("acme:x", null));
        assertEquals("data source 'acme' (bundle b) failed on acme:x: NullPointerException", npe.getMessage());
    }

    @Test
    void aBadLocationSaidOnPurposePassesUnchanged() {
        IllegalArgumentException said = new IllegalArgumentException("acme: no such dataset 'foo'");
        PluginSource s = new PluginSource(new Throwing(said), "acme", "com.acme.data");
        assertSame(said, assertThrows(IllegalArgumentException.class,
                () -> s.read("acme:foo", ReadOptions.defaults(), d -> { })));
    }

    @Test
    void theSinksOwnFailurePassesThroughUnchanged() {
        DatasetSource passing = new DatasetSource() {
            @Override
            public String scheme() {
                return "acme";
            }

            @Override
            public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) {
                sink.accept(null);
                return null;
            }

            @Override
            public String fingerprint(String location, ReadOptions options) {
                return "x";
            }
        };
        IllegalStateException ours = new IllegalStateException("the token cache is full");
        PluginSource s = new PluginSource(passing, "acme", "com.acme.data");
        assertSame(ours, assertThrows(IllegalStateException.class,
                () -> s.read("acme:foo", ReadOptions.defaults(), d -> { throw ours; })));
    }
}

package dev.vesper.data;

import dev.vesper.api.data.DataService;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.data.internal.Hashing;
import dev.vesper.data.internal.PluginSource;
import dev.vesper.data.internal.UserHome;
import dev.vesper.data.internal.cache.CacheHeader;
import dev.vesper.data.internal.cache.CacheTemporaries;
import dev.vesper.data.internal.cache.CachedTokenDataset;
import dev.vesper.data.internal.cache.MappedTokens;
import dev.vesper.data.internal.cache.TokenCacheBuilder;
import dev.vesper.data.internal.cache.UnusableCacheException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Picks the {@link DatasetSource} for a location's scheme (a location without one is a file path),
 * tokenizes each dataset once into a cache file named after the location and read options, and
 * memory-maps it; the cache is rebuilt when the source's or the tokenizer's fingerprint changes, and
 * when the file is damaged (it is checked against its checksums on every open; the rebuild is logged).
 * Without OSGi: {@code new DefaultDataService(List.of(new FileSource(), ...))} or
 * {@link #withStandardSources()}.
 */
@Component(service = DataService.class)
public class DefaultDataService implements DataService {
    private static final System.Logger LOG = System.getLogger("dev.vesper.data");

    /** A source as registered ({@code original}) and as used (from another bundle: guarded by {@link PluginSource}). */
    private record Bound(String scheme, DatasetSource original, DatasetSource source) {
    }

    private final List<Bound> sources = new CopyOnWriteArrayList<>();
    /** Where the notice of a cache being rebuilt goes; tests listen here instead of on the log. */
    BiConsumer<Level, String> notices = (level, text) -> LOG.log(level, text);

    /** For Declarative Services, which then binds the sources. */
    public DefaultDataService() {
    }

    public DefaultDataService(List<? extends DatasetSource> sources) {
        for (DatasetSource s : sources) {
            this.sources.add(new Bound(s.scheme(), s, s));
        }
    }

    /** Files, the Hugging Face Hub (process environment) and the built-in corpus. */
    public static DefaultDataService withStandardSources() {
        return new DefaultDataService(List.of(new FileSource(), new HfSource(), new BuiltinSource()));
    }

    @Reference(service = DatasetSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeSource")
    protected void addSource(DatasetSource source, Map<String, Object> properties) {
        Object s = properties.get(DatasetSource.PROPERTY);
        String scheme = s != null ? s.toString() : source.scheme();
        sources.add(new Bound(scheme, source, PluginSource.guardForeign(source, scheme, DefaultDataService.class)));
    }

    protected void removeSource(DatasetSource source, Map<String, Object> properties) {
        sources.removeIf(b -> b.original() == source);
    }

    @Override
    public List<String> schemes() {
        TreeSet<String> names = new TreeSet<>();
        sources.forEach(b -> names.add(b.scheme()));
        return List.copyOf(names);
    }

    @Override
    public ReadSummary documents(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
        return sourceFor(location).read(location, options(options), sink);
    }

    @Override
    public TokenDataset tokens(String location, ReadOptions options, Tokenizer tokenizer, DatasetOptions datasetOptions)
            throws IOException {
        ReadOptions read = options(options);
        if (datasetOptions == null) {
            datasetOptions = new DatasetOptions(0, true, 0, null);
        }
        DatasetSource source = sourceFor(location);
        Path file = cacheFile(location, read, datasetOptions);
        String sourceFingerprint = source.fingerprint(location, read);
        removeStaleTemporaries(file);
        MappedTokens mapped = openOrNotice(file);
        for (int attempt = 0; !current(mapped, tokenizer, sourceFingerprint); attempt++) {
            if (attempt == 3) {
                throw new IOException(file + ": the token cache keeps changing while it is opened; "
                        + "is another process tokenizing the same data with another tokenizer?");
            }
            CacheHeader built = TokenCacheBuilder.build(file, location, read, source, tokenizer);
            sourceFingerprint = built.sourceFingerprint;
            // not caught: a cache unusable just after it was written points at the disk, not at the cache
            mapped = MappedTokens.open(file);
        }
        return new CachedTokenDataset(mapped, location, datasetOptions.validationFraction(), datasetOptions.pack(),
                datasetOptions.seed());
    }

    /** A build that was killed leaves its temporary file; nothing else would ever remove it. */
    private void removeStaleTemporaries(Path file) {
        int removed = CacheTemporaries.removeStale(file);
        if (removed > 0) {
            notices.accept(Level.INFO, file + ": removed " + removed + (removed == 1 ? " temporary file" : " temporary files")
                    + " that an interrupted build left beside it");
        }
    }

    /**
     * The cache in {@code file}, or null when there is none or it cannot be used. A damaged cache is
     * never used; the user is told which file it was, since a file that gets damaged may say
     * something about the disk, and so that the time spent rebuilding it is explained.
     */
    private MappedTokens openOrNotice(Path file) throws IOException {
        try {
            return MappedTokens.open(file);
        } catch (UnusableCacheException e) {
            notices.accept(e.damaged() ? Level.WARNING : Level.INFO, e.getMessage() + "; rebuilding it");
            return null;
        }
    }

    private static boolean current(MappedTokens mapped, Tokenizer tokenizer, String sourceFingerprint) {
        return mapped != null && mapped.header().tokenizerFingerprint.equals(tokenizer.fingerprint())
                && mapped.header().sourceFingerprint.equals(sourceFingerprint);
    }

    /** Where the cache of a location lives: one file per location and read options. */
    public static Path cacheFile(String location, ReadOptions options, DatasetOptions datasetOptions) {
        Path dir = datasetOptions.cacheDirectory() != null ? datasetOptions.cacheDirectory()
                : Path.of(UserHome.get(), ".cache", "vesper", "tokens");
        String key = Hashing.sha256(location + "\n" + options).substring(0, 24);
        return dir.resolve("tokens-" + key + ".vtok");
    }

    private static ReadOptions options(ReadOptions options) {
        return options != null ? options : ReadOptions.defaults();
    }

    private DatasetSource sourceFor(String location) {
        String scheme = schemeOf(location);
        DatasetSource found = null;
        for (Bound b : sources) {
            if (b.scheme().equals(scheme)) {
                found = b.source();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no dataset source for scheme \"" + scheme + "\" in " + location
                    + " (installed: " + schemes() + ")");
        }
        return found;
    }

    /** The scheme of a location; none (or a one-letter drive such as C:) means a file path. */
    static String schemeOf(String location) {
        String scheme = DatasetSource.schemeOf(location);
        return scheme != null ? scheme : "file";
    }
}

package dev.vesper.data;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.data.internal.Formats;
import dev.vesper.data.internal.Hashing;
import dev.vesper.data.internal.Tally;
import dev.vesper.data.internal.UserHome;
import dev.vesper.data.internal.hub.Glob;
import dev.vesper.data.internal.hub.HubCache;
import dev.vesper.data.internal.hub.HubClient;
import dev.vesper.data.internal.hub.HubEnvironment;
import dev.vesper.data.internal.hub.HubException;
import dev.vesper.data.internal.hub.HubLocation;
import dev.vesper.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/**
 * Datasets on the Hugging Face Hub: {@code hf://datasets/{owner}/{name}[@revision]/{path or glob}}.
 * Files are fetched over the Hub's HTTP API into the official cache layout under HF_HOME (so files
 * the Python tools downloaded are reused), revalidated by commit and ETag on every read, resumed
 * when a download was cut, and read from the cache alone with HF_HUB_OFFLINE=1 or when the Hub
 * cannot be reached. The files are then read like local files (JSON Lines, JSON, text, gzip);
 * Parquet is not supported.
 */
@Component(service = DatasetSource.class, property = DatasetSource.PROPERTY + "=hf")
public class HfSource implements DatasetSource {
    /** A file of the dataset, in the local cache. */
    private record Local(String commit, String path, Path file) {
    }

    private final HubEnvironment env;
    private final Duration idleTimeout;
    private HubClient client;

    /** Reads the process environment. */
    public HfSource() {
        this(System.getenv());
    }

    /** Reads the given variables instead of the process environment (tests). */
    public HfSource(Map<String, String> environment) {
        this(environment, HubClient.IDLE_TIMEOUT);
    }

    /** With another limit on how long a download may go without a byte (a test's short one). */
    HfSource(Map<String, String> environment, Duration idleTimeout) {
        this.env = new HubEnvironment(environment, UserHome.get());
        this.idleTimeout = idleTimeout;
    }

    @Override
    public String scheme() {
        return "hf";
    }

    @Override
    public ReadSummary read(String location, ReadOptions options, Consumer<Document> sink) throws IOException {
        HubLocation loc = HubLocation.parse(location);
        List<Local> files = resolve(loc);
        Tally tally = new Tally(sink, options);
        for (Local f : files) {
            Formats.read(f.file(), loc.display(f.commit(), f.path()), options, tally);
        }
        return tally.summary(fingerprint(files, options));
    }

    @Override
    public String fingerprint(String location, ReadOptions options) throws IOException {
        return fingerprint(resolve(HubLocation.parse(location)), options);
    }

    private static String fingerprint(List<Local> files, ReadOptions options) throws IOException {
        // v2: as FileSource's, a cache built while content after a JSON value was dropped is rebuilt
        StringBuilder sb = new StringBuilder("hf-v2|").append(options).append('\n');
        for (Local f : files) {
            sb.append(f.commit()).append('|').append(f.path()).append('|').append(Files.size(f.file())).append('\n');
        }
        return Hashing.sha256(sb.toString());
    }

    /** The files the location names, downloaded or revalidated as needed. */
    private List<Local> resolve(HubLocation loc) throws IOException {
        if (!loc.isPattern()) {
            // before any download, and before the cache is asked: offline, "not in the cache" would hide the reason
            Formats.requireReadable(loc.path, loc.display(loc.revision, loc.path));
        }
        HubCache cache = new HubCache(env.hubCache(), loc);
        if (env.offline()) {
            return fromCache(loc, cache, "HF_HUB_OFFLINE is set");
        }
        HubClient client = client();
        try {
            return fromHub(loc, cache, client);
        } catch (HubException e) {
            if (!e.unreachable()) {
                throw e;
            }
            try {
                return fromCache(loc, cache, e.getMessage());
            } catch (IOException cacheMiss) {
                String when = e.network() ? "with the network back" : "once the Hub answers";
                HubException neither = new HubException(e.getMessage() + ", and the cache at " + cache.repo()
                        + " has no copy (" + when + ", a first download fills it)", true, e.status(), e);
                neither.addSuppressed(cacheMiss);
                throw neither;
            }
        }
    }

    /** One HTTP client for the life of the source: it keeps connections and a selector thread. */
    private synchronized HubClient client() {
        if (client == null) {
            client = new HubClient(env, idleTimeout);
        }
        return client;
    }

    private List<Local> fromHub(HubLocation loc, HubCache cache, HubClient client) throws IOException {
        List<Local> out = new ArrayList<>();
        if (!loc.isPattern()) {
            Path pinned = cache.snapshot(loc.revision, loc.path);
            if (HubLocation.isCommit(loc.revision) && Files.isRegularFile(pinned)) {
                // a file at a given commit never changes: no request needed
                out.add(new Local(loc.revision, loc.path, pinned));
                return out;
            }
            try {
                out.add(fetch(loc, cache, client, loc.revision, loc.path));
                return out;
            } catch (HubException notFile) {
                if (notFile.status() != 404) {
                    throw notFile;
                }
                return directory(loc, cache, client, notFile);
            }
        }
        return list(loc, cache, client, pattern(loc), Glob.literalPrefix(loc.path), !loc.path.isEmpty());
    }

    /**
     * A path that is not a file may be a directory, read like a local one. Only when the Hub knows
     * no directory there either is the 404 the answer; any other failure is the real one.
     */
    private List<Local> directory(HubLocation loc, HubCache cache, HubClient client, HubException notFile)
            throws IOException {
        try {
            return list(loc, cache, client, Glob.compile(loc.path + "/**"), loc.path, false);
        } catch (HubException notDirectory) {
            if (notDirectory.status() == 404) {
                notFile.addSuppressed(notDirectory);
                throw notFile;
            }
            throw notDirectory;
        }
    }

    /**
     * The readable files under {@code directory} whose paths match, at the revision's current commit;
     * an explicit pattern may also pick Markdown, a whole repository or directory never does (the
     * dataset card is README.md).
     */
    private List<Local> list(HubLocation loc, HubCache cache, HubClient client, Pattern pattern, String directory,
                             boolean explicit) throws IOException {
        List<Local> out = new ArrayList<>();
        String commit = client.revisionSha(loc, loc.revision);
        cache.writeRef(loc.revision, commit);
        List<String> matched = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (HubClient.Entry e : client.tree(loc, commit, directory)) {
            if (pattern.matcher(e.path()).matches()) {
                (readable(e.path(), explicit) ? matched : skipped).add(e.path());
            }
        }
        matched.sort(null);
        if (matched.isEmpty()) {
            throw new IOException(loc.display(commit, loc.path) + ": no JSON Lines, JSON or text files match"
                    + (skipped.isEmpty() ? "" : " (matched but unreadable: " + skipped + "; Parquet is not supported)"));
        }
        for (String path : matched) {
            out.add(fetch(loc, cache, client, commit, path));
        }
        return out;
    }

    /** HEAD for the current commit and ETag, then reuse the cached blob or download it. */
    private Local fetch(HubLocation loc, HubCache cache, HubClient client, String revision, String path) throws IOException {
        HubClient.FileMeta meta = client.head(loc, revision, path);
        cache.writeRef(revision, meta.commit());
        Path pointer = cache.snapshot(meta.commit(), path);
        Path blob = cache.blob(meta.etag());
        if (Files.isRegularFile(pointer) && Files.isRegularFile(blob) && Files.isSameFile(pointer, blob)) {
            return new Local(meta.commit(), path, pointer);
        }
        try (HubCache.Held held = cache.lock(meta.etag())) {
            if (!Files.isRegularFile(blob)) {
                Files.createDirectories(blob.getParent());
                Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
                client.download(meta.download(), partial, meta.size(), loc.display(meta.commit(), path));
                AtomicFiles.move(partial, blob);
                AtomicFiles.fsyncDirectory(blob.getParent());
            }
            if (!(Files.isRegularFile(pointer) && Files.isSameFile(pointer, blob))) {
                cache.link(pointer, blob);
            }
        }
        return new Local(meta.commit(), path, pointer);
    }

    private List<Local> fromCache(HubLocation loc, HubCache cache, String why) throws IOException {
        Optional<String> commit = cache.ref(loc.revision);
        if (commit.isEmpty()) {
            throw new IOException("hf://datasets/" + loc.repoId() + "@" + loc.revision + ": not in the cache at "
                    + cache.repo() + " (" + why + ")");
        }
        List<Local> out = new ArrayList<>();
        Pattern pattern = pattern(loc);
        if (!loc.isPattern() && Files.isDirectory(cache.snapshot(commit.get(), loc.path))) {
            pattern = Glob.compile(loc.path + "/**");
        } else if (!loc.isPattern()) {
            Path p = cache.snapshot(commit.get(), loc.path);
            if (!Files.isRegularFile(p)) {
                throw new IOException(loc.display(commit.get(), loc.path) + ": not in the cache at " + p + " (" + why + ")");
            }
            out.add(new Local(commit.get(), loc.path, p));
            return out;
        }
        boolean explicit = loc.isPattern() && !loc.path.isEmpty();
        for (String path : cache.list(commit.get(), pattern)) {
            if (readable(path, explicit)) {
                out.add(new Local(commit.get(), path, cache.snapshot(commit.get(), path)));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(loc.display(commit.get(), loc.path) + ": no matching files in the cache at "
                    + cache.repo() + " (" + why + ")");
        }
        return out;
    }

    private static boolean readable(String path, boolean explicit) {
        return explicit ? Formats.isReadable(path) : Formats.isKnown(path);
    }

    private static Pattern pattern(HubLocation loc) {
        return Glob.compile(loc.path.isEmpty() ? "**" : loc.path);
    }
}

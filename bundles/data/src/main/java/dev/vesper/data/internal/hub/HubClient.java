package dev.vesper.data.internal.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Hub HTTP calls a dataset download needs, as huggingface_hub makes them: HEAD on a resolve
 * URL for the commit, ETag and size (following relative redirects only, so that a CDN redirect is
 * reported, not taken); GET with Range to resume; the revision and tree APIs for patterns. The
 * token goes only to the Hub's own host, never to a redirect target elsewhere.
 */
public final class HubClient {
    /** What a HEAD on a resolve URL says about a file. */
    public record FileMeta(String commit, String etag, long size, URI download) {
    }

    /** One file of a tree listing. */
    public record Entry(String path, long size) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int MAX_REDIRECTS = 10;
    /** How long a download may go without a byte before it counts as stalled: long enough for a slow link. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final HubEnvironment env;
    private final HttpClient http;
    private final URI endpoint;
    private final Duration idleTimeout;

    public HubClient(HubEnvironment env) {
        this(env, IDLE_TIMEOUT);
    }

    /** With another idle timeout for downloads (a test's short one). */
    public HubClient(HubEnvironment env, Duration idleTimeout) {
        this.env = env;
        this.endpoint = URI.create(env.endpoint());
        this.idleTimeout = idleTimeout;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    public URI resolveUrl(HubLocation loc, String revision, String path) {
        return URI.create(env.endpoint() + "/datasets/" + loc.repoId() + "/resolve/" + encode(revision) + "/"
                + encodePath(path));
    }

    public FileMeta head(HubLocation loc, String revision, String path) throws IOException {
        URI url = resolveUrl(loc, revision, path);
        String what = loc.display(revision, path);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding(), what);
            int status = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                URI target = url.resolve(location.get());
                boolean relative = !URI.create(location.get()).isAbsolute();
                if (relative) {
                    url = target;
                    continue;
                }
                return meta(r, url, target, what);
            }
            check(status, what);
            return meta(r, url, url, what);
        }
        throw new HubException(what + ": too many redirects", false, null);
    }

    /** The HEAD's answer about a file; {@code url} is where it came from, named when a header is unusable. */
    private static FileMeta meta(HttpResponse<?> r, URI url, URI download, String what) throws HubException {
        String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
        String etagHeader = r.headers().firstValue("X-Linked-Etag").isPresent() ? "X-Linked-Etag" : "ETag";
        String etag = r.headers().firstValue(etagHeader).orElse(null);
        if (commit == null || etag == null) {
            throw new HubException(what + ": the server sent no X-Repo-Commit or ETag header; is HF_ENDPOINT a Hub?",
                    false, null);
        }
        String sizeHeader = r.headers().firstValue("X-Linked-Size").isPresent() ? "X-Linked-Size" : "Content-Length";
        Optional<String> size = r.headers().firstValue(sizeHeader);
        long bytes = size.isPresent() ? parseSize(size.get(), sizeHeader, url, what) : -1L;
        String blob = normalizeEtag(etag);
        if (blob == null) {
            // the ETag names the blob's file in the cache: one that would leave the blobs folder is refused
            throw badHeader(what, url, etagHeader, etag, "which cannot name a file in the cache");
        }
        return new FileMeta(commit, blob, bytes, download);
    }

    private static long parseSize(String value, String header, URI url, String what) throws HubException {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below, with the header and the URL
        }
        throw badHeader(what, url, header, value, "which is not a size in bytes");
    }

    /** A header a Hub (or a mirror that claims to be one) sent that cannot be used, named with where it came from. */
    private static HubException badHeader(String what, URI url, String header, String value, String why) {
        return new HubException(what + ": " + url + " sent " + header + ": \"" + value + "\", " + why
                + "; is HF_ENDPOINT a Hub?", false, null);
    }

    /** The ETag without quotes or a weak marker, or null when it could not name a file in the cache. */
    static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        if (e.isEmpty() || e.contains("/") || e.contains("\\") || e.equals(".") || e.equals("..")) {
            return null;
        }
        return e;
    }

    /**
     * Downloads to {@code partial}, resuming from its current length with a Range request. Throws if
     * the transfer stops early, the server stops sending for the idle timeout, or the thread is
     * interrupted; the partial file stays for the next attempt.
     */
    public void download(URI url, Path partial, long expectedSize, String what) throws IOException {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            if (expectedSize >= 0 && have == expectedSize) {
                return;
            }
            if (expectedSize >= 0 && have > expectedSize) {
                Files.delete(partial);
                have = 0;
            }
            HttpRequest.Builder b = request(url).GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = send(b.build(), HttpResponse.BodyHandlers.ofPublisher(), what);
            int status = r.statusCode();
            try (BodyChunks body = new BodyChunks(r.body(), idleTimeout)) {
                Optional<String> location = r.headers().firstValue("Location");
                if (status >= 300 && status < 400 && location.isPresent()) {
                    url = url.resolve(location.get());
                    continue;
                }
                if (status == 416) {
                    Files.deleteIfExists(partial);
                    continue;
                }
                check(status, what);
                try {
                    write(body, partial, status == 206);
                } catch (IOException e) {
                    throw transferFailed(what, url, Files.exists(partial) ? Files.size(partial) : 0, e);
                }
            }
            long got = Files.size(partial);
            if (expectedSize >= 0 && got != expectedSize) {
                throw sizeMismatch(what, got, expectedSize);
            }
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            return;
        }
        throw new HubException(what + ": too many redirects", false, null);
    }

    private static void write(BodyChunks body, Path partial, boolean append) throws IOException {
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            for (List<ByteBuffer> chunk = body.next(); chunk != null; chunk = body.next()) {
                for (ByteBuffer b : chunk) {
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
        }
    }

    /**
     * Why a transfer ended early, with what to do: the partial file stays, so a run resumes it. A stopped
     * thread is not the network's fault: no cache stands in for it, so the stop is not mistaken for an outage.
     */
    private HubException transferFailed(String what, URI url, long have, IOException e) {
        if (e instanceof BodyChunks.Stalled) {
            // the URL without its query: a CDN's is a long signature
            return new HubException(what + ": the Hub stopped sending: nothing came from " + url.getScheme() + "://"
                    + url.getRawAuthority() + url.getRawPath() + " for " + describe(idleTimeout) + " after " + have
                    + " bytes; run again to resume", true, e);
        }
        if (e instanceof java.io.InterruptedIOException || Thread.currentThread().isInterrupted()) {
            return new HubException(what + ": download stopped at " + have + " bytes (interrupted); run again to resume",
                    false, e);
        }
        return new HubException(what + ": download interrupted at " + have + " bytes (" + why(e) + "); run again to resume",
                true, e);
    }

    /** A duration as a person says it: 60 s, 500 ms. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /**
     * A transfer that ended cleanly with another size than the HEAD declared: the server's doing, not
     * the network's, so there is no cache to stand in (the blob was never whole) and no network to blame.
     */
    private static HubException sizeMismatch(String what, long got, long declared) {
        String next = got < declared ? "run again to resume" : "run again to download it afresh";
        return new HubException(what + ": the server sent " + got + (got < declared ? " of the " : " bytes, more than the ")
                + declared + " bytes it declared; " + next, false, null);
    }

    /** The commit a revision (branch, tag or commit) points to now. */
    public String revisionSha(HubLocation loc, String revision) throws IOException {
        URI url = URI.create(env.endpoint() + "/api/datasets/" + loc.repoId() + "/revision/" + encode(revision));
        JsonNode info = getJson(url, "hf://datasets/" + loc.repoId() + "@" + revision);
        String sha = info.path("sha").asText("");
        if (!HubLocation.isCommit(sha)) {
            throw new HubException("hf://datasets/" + loc.repoId() + "@" + revision + ": the revision API gave no commit sha",
                    false, null);
        }
        return sha;
    }

    /** Every file under {@code directory} at {@code commit}, following the listing's pages. */
    public List<Entry> tree(HubLocation loc, String commit, String directory) throws IOException {
        String what = loc.display(commit, directory);
        URI url = URI.create(env.endpoint() + "/api/datasets/" + loc.repoId() + "/tree/" + commit
                + (directory.isEmpty() ? "" : "/" + encodePath(directory)) + "?recursive=true&expand=false");
        List<Entry> out = new ArrayList<>();
        while (url != null) {
            HttpResponse<String> r = send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
            check(r.statusCode(), what);
            JsonNode page = json(r, url);
            if (!page.isArray()) {
                throw new HubException(what + ": the tree API did not return a list", false, null);
            }
            for (JsonNode e : page) {
                if ("file".equals(e.path("type").asText())) {
                    long size = e.has("lfs") ? e.path("lfs").path("size").asLong(-1) : e.path("size").asLong(-1);
                    out.add(new Entry(e.path("path").asText(), size));
                }
            }
            url = null;
            for (String link : r.headers().allValues("Link")) {
                Matcher m = NEXT.matcher(link);
                if (m.find()) {
                    url = URI.create(m.group(1));
                }
            }
        }
        return out;
    }

    private JsonNode getJson(URI url, String what) throws IOException {
        HttpResponse<String> r = send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), what);
        check(r.statusCode(), what);
        return json(r, url);
    }

    /** The body as JSON; anything else (a proxy's or a sign-in portal's page) is named with the URL that sent it. */
    private static JsonNode json(HttpResponse<String> r, URI url) throws HubException {
        try {
            return MAPPER.readTree(r.body());
        } catch (JsonProcessingException e) {
            String type = r.headers().firstValue("Content-Type").orElse("no Content-Type");
            String shown = url.toString().replaceFirst("\\?.*", "");
            throw new HubException(shown + ": the Hub answered with something that is not JSON (" + type + ": \""
                    + opening(r.body()) + "\"); is HF_ENDPOINT a Hub?", false, e);
        }
    }

    /** The first few words of a body, on one line. */
    private static String opening(String body) {
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() <= 50 ? s : s.substring(0, 50).stripTrailing() + "…";
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "vesper-data/1.0")
                .header("Accept-Encoding", "identity");
        String token = env.token();
        if (token != null && sameHost(url)) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private boolean sameHost(URI url) {
        return endpoint.getHost() != null && endpoint.getHost().equalsIgnoreCase(url.getHost())
                && endpoint.getPort() == url.getPort();
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(what + ": interrupted", false, e);
        } catch (IOException e) {
            throw new HubException(what + ": cannot reach " + req.uri().getHost() + " (" + why(e) + ")", true, e);
        }
    }

    /** What went wrong on the network, in words: several of these exceptions carry no message. */
    static String why(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused, or no route to it";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host; is the network up?";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.io.EOFException) {
            return "the connection ended early";
        }
        return e.getMessage() != null ? e.getMessage() : "a network error";
    }

    private static void check(int status, String what) throws HubException {
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 401 || status == 403) {
            throw new HubException(what + ": access denied (HTTP " + status + "); for a private or gated dataset set HF_TOKEN",
                    false, status, null);
        }
        if (status == 404) {
            throw new HubException(what + ": not found (HTTP 404): check the owner, name, revision and path", false, 404, null);
        }
        throw new HubException(what + ": HTTP " + status, status >= 500 || status == 429, status, null);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String s : path.split("/", -1)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(encode(s));
        }
        return sb.toString();
    }
}

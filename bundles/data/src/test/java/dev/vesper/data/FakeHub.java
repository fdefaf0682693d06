package dev.vesper.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the Hugging Face Hub that speaks the paths and headers the client uses:
 * resolve URLs (X-Repo-Commit, ETag, X-Linked-Etag, X-Linked-Size, CDN redirects for large files,
 * relative redirects for renamed repositories), Range requests, the revision API and the paginated
 * tree API, and bearer-token checks for private repositories.
 */
final class FakeHub implements AutoCloseable {
    static final int LFS_THRESHOLD = 512;

    /** Recorded requests: method, path, Range and Authorization headers. */
    record Request(String method, String path, String range, String authorization) {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, Map<String, String>> refs = new HashMap<>();
    private final Map<String, Map<String, byte[]>> commits = new HashMap<>();
    private final Map<String, String> renamed = new HashMap<>();
    private final Map<String, String> privateRepos = new HashMap<>();
    private final Map<String, byte[]> cdn = new HashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger cutNextDownloadAt = new AtomicInteger(-1);
    /** The next file download sends this many bytes, then nothing, keeping the connection open until close. */
    final AtomicInteger stallNextDownloadAt = new AtomicInteger(-1);
    /** Counted down when a stalled download has sent its bytes and begins to send nothing. */
    final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Sent as the X-Linked-Size of large files instead of their size, as a broken mirror might; null for the size. */
    volatile String linkedSize;
    /** Sent as every file's ETag (and X-Linked-Etag), quotes included; null for the real ones. */
    volatile String etag;
    /** The next CDN answer is this many bytes short, though complete as HTTP goes (its Content-Length agrees). */
    final AtomicInteger shortenNextDownloadBy = new AtomicInteger(0);
    /** Resolve requests answer with this status (a 5xx for a Hub in trouble); 0 for normal service. */
    volatile int resolveStatus;
    /** Resolve answers without X-Repo-Commit, as a server that is not a Hub would. */
    volatile boolean omitCommitHeader;
    /** The API call ("revision" or "tree") answered with an HTML page, as a proxy or portal would. */
    volatile String htmlFor = "";

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);   // a stalled download must not hold up the other requests
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint, named "localhost" so that the CDN (127.0.0.1) counts as another host. */
    String endpoint() {
        return "http://localhost:" + port();
    }

    synchronized void publish(String repo, String revision, String commit, Map<String, String> files) {
        Map<String, byte[]> content = new TreeMap<>();
        files.forEach((k, v) -> content.put(k, v.getBytes(StandardCharsets.UTF_8)));
        commits.put(commit, content);
        refs.computeIfAbsent(repo, r -> new HashMap<>()).put(revision, commit);
        refs.get(repo).put(commit, commit);
    }

    void rename(String oldRepo, String newRepo) {
        renamed.put(oldRepo, newRepo);
    }

    void makePrivate(String repo, String token) {
        privateRepos.put(repo, token);
    }

    long count(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    static String sha256(byte[] b) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
                sb.append(String.format("%02x", x & 0xFF));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the Hub uses as the ETag of a small (non-LFS) file: the git blob id; any stable hash serves. */
    static String gitEtag(byte[] b) {
        return sha256(b).substring(0, 40);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("Authorization")));
            if (path.startsWith("/cdn/")) {
                serveCdn(ex, path.substring(5));
            } else if (path.startsWith("/api/datasets/")) {
                serveApi(ex, segments(path.substring("/api/datasets/".length())));
            } else if (path.startsWith("/datasets/")) {
                serveResolve(ex, segments(path.substring("/datasets/".length())));
            } else {
                send(ex, 404, "no route");
            }
        } finally {
            ex.close();
        }
    }

    private static List<String> segments(String raw) {
        List<String> out = new ArrayList<>();
        for (String s : raw.split("/")) {
            out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private boolean authorized(HttpExchange ex, String repo) throws IOException {
        String token = privateRepos.get(repo);
        if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "unauthorized");
            return false;
        }
        return true;
    }

    private void serveResolve(HttpExchange ex, List<String> s) throws IOException {
        // owner/name/resolve/revision/path...
        String repo = s.get(0) + "/" + s.get(1);
        if (renamed.containsKey(repo)) {
            String rest = ex.getRequestURI().getRawPath().substring(("/datasets/" + repo).length());
            ex.getResponseHeaders().set("Location", "/datasets/" + renamed.get(repo) + rest);
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        if (resolveStatus != 0) {
            send(ex, resolveStatus, "unavailable");
            return;
        }
        String commit;
        byte[] content;
        synchronized (this) {
            commit = refs.getOrDefault(repo, Map.of()).get(s.get(3));
            String file = String.join("/", s.subList(4, s.size()));
            content = commit == null ? null : commits.get(commit).get(file);
        }
        if (content == null) {
            send(ex, 404, "Entry not found");
            return;
        }
        if (!omitCommitHeader) {
            ex.getResponseHeaders().set("X-Repo-Commit", commit);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        String forced = etag;
        if (content.length >= LFS_THRESHOLD) {
            String oid = sha256(content);
            synchronized (this) {
                cdn.put(oid, content);
            }
            ex.getResponseHeaders().set("ETag", "\"" + gitEtag(oid.getBytes(StandardCharsets.UTF_8)) + "\"");
            ex.getResponseHeaders().set("X-Linked-Etag", forced != null ? forced : "\"" + oid + "\"");
            String size = linkedSize;
            ex.getResponseHeaders().set("X-Linked-Size", size != null ? size : String.valueOf(content.length));
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + port() + "/cdn/" + oid);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        ex.getResponseHeaders().set("ETag", forced != null ? forced : "\"" + gitEtag(content) + "\"");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", String.valueOf(content.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            ex.sendResponseHeaders(200, content.length);
            sendBody(ex, content, 0, content.length);
        }
    }

    private void serveCdn(HttpExchange ex, String oid) throws IOException {
        byte[] content;
        synchronized (this) {
            content = cdn.get(oid);
        }
        if (content == null) {
            send(ex, 404, "no blob");
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int status = 200;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= content.length) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from - shortenNextDownloadBy.getAndSet(0);
        ex.sendResponseHeaders(status, length);
        sendBody(ex, content, from, length);
    }

    /** Sends a file's bytes, or cuts or stalls them as the test asked. */
    private void sendBody(HttpExchange ex, byte[] content, int from, int length) throws IOException {
        OutputStream out = ex.getResponseBody();
        int cut = cutNextDownloadAt.getAndSet(-1);
        if (cut >= 0 && cut < length) {
            out.write(content, from, cut);
            out.flush();
            // drop the connection mid-body, as a network failure would
            throw new IOException("connection cut by the test");
        }
        int stall = stallNextDownloadAt.getAndSet(-1);
        if (stall >= 0 && stall < length) {
            out.write(content, from, stall);
            out.flush();
            stalled.countDown();
            throw stallUntilClose();   // a server that stops sending but keeps the connection open
        }
        out.write(content, from, length);
    }

    private IOException stallUntilClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IOException("the test ended the stalled download");
    }

    private void serveApi(HttpExchange ex, List<String> s) throws IOException {
        String repo = s.get(0) + "/" + s.get(1);
        if (!authorized(ex, repo)) {
            return;
        }
        String commit = refs.getOrDefault(repo, Map.of()).get(s.get(3));
        if (commit == null) {
            send(ex, 404, "Revision not found");
            return;
        }
        if (s.get(2).equals(htmlFor)) {
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            send(ex, 200, "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head></html>");
            return;
        }
        if (s.get(2).equals("revision")) {
            send(ex, 200, "{\"id\":\"" + repo + "\",\"sha\":\"" + commit + "\"}");
            return;
        }
        String dir = String.join("/", s.subList(4, s.size()));
        List<String> entries = new ArrayList<>();
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        for (Map.Entry<String, byte[]> e : commits.get(commit).entrySet()) {
            String p = e.getKey();
            if (!dir.isEmpty() && !p.startsWith(dir + "/")) {
                continue;
            }
            int slash = p.lastIndexOf('/');
            if (slash > 0) {
                dirs.add(p.substring(0, slash));
            }
            byte[] c = e.getValue();
            String lfs = c.length >= LFS_THRESHOLD
                    ? ",\"lfs\":{\"oid\":\"" + sha256(c) + "\",\"size\":" + c.length + ",\"pointerSize\":134}" : "";
            entries.add("{\"type\":\"file\",\"oid\":\"" + gitEtag(c) + "\",\"size\":" + c.length + ",\"path\":\"" + p + "\"" + lfs + "}");
        }
        for (String d : dirs) {
            entries.add("{\"type\":\"directory\",\"oid\":\"0\",\"size\":0,\"path\":\"" + d + "\"}");
        }
        if (entries.isEmpty() && !dir.isEmpty()) {
            send(ex, 404, "{\"error\":\"path not found\"}");
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        int cursor = 0;
        if (query != null && query.contains("cursor=")) {
            cursor = Integer.parseInt(query.substring(query.indexOf("cursor=") + 7).split("&")[0]);
        }
        int pageSize = 2;
        int end = Math.min(entries.size(), cursor + pageSize);
        if (end < entries.size()) {
            ex.getResponseHeaders().set("Link", "<" + endpoint() + ex.getRequestURI().getRawPath()
                    + "?recursive=true&expand=false&cursor=" + end + ">; rel=\"next\"");
        }
        send(ex, 200, "[" + String.join(",", entries.subList(cursor, end)) + "]");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}

package dev.vesper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfSourceTest {
    private static final String C1 = "1111111111111111111111111111111111111111";
    private static final String C2 = "2222222222222222222222222222222222222222";
    private static final String C0 = "0000000000000000000000000000000000000000";

    @TempDir
    Path home;
    private FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        hub.publish("acme/tales", "main", C1, Map.of(
                "train.jsonl", "{\"text\":\"one\"}\n{\"text\":\"two\"}\n",
                "data/a.jsonl", big("alpha", 40),
                "data/b.jsonl", big("beta", 30),
                "data/sub/c.txt", "gamma\n\ndelta\n",
                "data/table.parquet", "PAR1 not really",
                "README.md", "# Tales\n"));
        hub.publish("acme/tales", "v1", C0, Map.of("train.jsonl", "{\"text\":\"old\"}\n"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private static String big(String word, int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("{\"text\":\"").append(word).append(' ').append(i).append("\"}\n");
        }
        return sb.toString();
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint() + "/");
        env.put("HF_HOME", home.toString());
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private static List<String> texts(HfSource source, String location) throws IOException {
        List<String> out = new ArrayList<>();
        source.read(location, ReadOptions.defaults(), d -> out.add(d.text()));
        return out;
    }

    private Path repo(String name) {
        return home.resolve("hub").resolve("datasets--acme--" + name);
    }

    @Test
    void downloadsIntoTheOfficialCacheLayoutAndReusesIt() throws Exception {
        HfSource source = new HfSource(env());
        List<Document> docs = new ArrayList<>();
        ReadSummary s = source.read("hf://datasets/acme/tales/train.jsonl", ReadOptions.defaults(), docs::add);
        assertEquals(2, s.documents());
        assertEquals("one", docs.get(0).text());
        assertEquals("hf://datasets/acme/tales@" + C1 + "/train.jsonl:1", docs.get(0).origin());

        Path repo = repo("tales");
        assertEquals(C1, Files.readString(repo.resolve("refs/main")));
        Path pointer = repo.resolve("snapshots/" + C1 + "/train.jsonl");
        assertTrue(Files.isSymbolicLink(pointer));
        String etag = FakeHub.gitEtag("{\"text\":\"one\"}\n{\"text\":\"two\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(pointer));
        assertTrue(Files.isRegularFile(repo.resolve("blobs/" + etag)));

        long gets = hub.count("GET", "/datasets/");
        assertEquals(List.of("one", "two"), texts(source, "hf://datasets/acme/tales/train.jsonl"));
        assertEquals(gets, hub.count("GET", "/datasets/"), "a cached file is revalidated by HEAD, not downloaded again");
        assertTrue(hub.count("HEAD", "/datasets/acme/tales/resolve/main/train.jsonl") >= 2);
    }

    @Test
    void globsListTheTreeAndFollowCdnRedirects() throws Exception {
        HfSource source = new HfSource(env());
        List<String> texts = texts(source, "hf://datasets/acme/tales/data/**/*.{jsonl,txt}");
        assertEquals(40 + 30 + 2, texts.size());
        assertEquals("alpha 0", texts.get(0));
        assertEquals("beta 0", texts.get(40));
        assertEquals("gamma", texts.get(70));
        assertTrue(hub.count("GET", "/cdn/") >= 2, "large files come from the CDN");
        assertTrue(hub.count("GET", "/api/datasets/acme/tales/tree/" + C1 + "/data") >= 3, "the listing is paginated");
        String oid = FakeHub.sha256(big("alpha", 40).getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(repo("tales").resolve("blobs/" + oid)), "LFS blobs are named by X-Linked-Etag");
        assertEquals(List.of("alpha 0"), texts(source, "hf://datasets/acme/tales/data/a.jsonl").subList(0, 1));

        assertEquals(texts, texts(source, "hf://datasets/acme/tales/data"), "a directory reads like a local one");
        assertEquals(2 + 72, texts(source, "hf://datasets/acme/tales").size(), "a whole repository, without its card");
        assertEquals(List.of("# Tales"), texts(source, "hf://datasets/acme/tales/*.md"), "named Markdown is read");
        assertEquals(texts, texts(new HfSource(env("HF_HUB_OFFLINE", "1")), "hf://datasets/acme/tales/data"));
        IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/*.parquet"));
        assertTrue(e.getMessage().contains("Parquet is not supported"), e.getMessage());
    }

    @Test
    void resumesACutDownloadWithRange() throws Exception {
        HfSource source = new HfSource(env());
        hub.cutNextDownloadAt.set(100);
        IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/a.jsonl"));
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        String oid = FakeHub.sha256(big("alpha", 40).getBytes(StandardCharsets.UTF_8));
        Path partial = repo("tales").resolve("blobs/" + oid + ".incomplete");
        assertEquals(100, Files.size(partial));

        assertEquals(40, texts(source, "hf://datasets/acme/tales/data/a.jsonl").size());
        assertTrue(hub.requests.stream().anyMatch(r -> "bytes=100-".equals(r.range())), "the second try asks for the rest");
        assertFalse(Files.exists(partial));
        assertEquals(big("alpha", 40), Files.readString(repo("tales").resolve("blobs/" + oid)));
    }

    /**
     * A Hub that sends the headers and some bytes, then nothing with the connection open, once hung the read
     * forever: the request timeout ends with the headers. The idle timeout ends it, keeping the partial file.
     */
    @Test
    void aDownloadThatStallsEndsAfterTheIdleTimeoutAndResumesNextTime() throws Exception {
        // long enough that a loaded machine's pause between the headers and the first bytes is not taken for the stall
        HfSource source = new HfSource(env(), Duration.ofSeconds(2));
        hub.stallNextDownloadAt.set(60);
        // the guard is 15 times the idle timeout: only a hang, or the 60 s default, fails it
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/a.jsonl")));
        String oid = FakeHub.sha256(big("alpha", 40).getBytes(StandardCharsets.UTF_8));
        assertTrue(e.getMessage().startsWith("hf://datasets/acme/tales@" + C1 + "/data/a.jsonl: the Hub stopped sending:"
                + " nothing came from http://127.0.0.1:" + hub.port() + "/cdn/" + oid + " for 2 s after 60 bytes;"
                + " run again to resume"), e.getMessage());
        Path partial = repo("tales").resolve("blobs/" + oid + ".incomplete");
        assertEquals(60, Files.size(partial));

        assertEquals(40, texts(new HfSource(env()), "hf://datasets/acme/tales/data/a.jsonl").size());
        assertTrue(hub.requests.stream().anyMatch(r -> "bytes=60-".equals(r.range())), "the next read resumes it");
        assertFalse(Files.exists(partial));
    }

    /**
     * An interrupt (a job stopped while it downloads) was lost: JDK 17's InputStream body swallows it and waits
     * on. The download ends at once now, keeps its partial file and says it was stopped; no cache stands in,
     * as it would for an outage, and the thread stays interrupted for its caller.
     */
    @Test
    void anInterruptEndsADownloadThatWaitsForBytes() throws Exception {
        HfSource source = new HfSource(env(), Duration.ofMinutes(10));   // only the interrupt can end it
        hub.stallNextDownloadAt.set(60);
        String oid = FakeHub.sha256(big("alpha", 40).getBytes(StandardCharsets.UTF_8));
        Path partial = repo("tales").resolve("blobs/" + oid + ".incomplete");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> read = reader.submit(() -> {
                IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/a.jsonl"));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
                return e.getMessage();
            });
            assertTrue(hub.stalled.await(30, TimeUnit.SECONDS));
            awaitSize(partial, 60);   // the bytes arrived: the reader now waits for more
            reader.shutdownNow();     // interrupts it
            assertEquals("hf://datasets/acme/tales@" + C1 + "/data/a.jsonl: download stopped at 60 bytes (interrupted);"
                    + " run again to resume", read.get(30, TimeUnit.SECONDS));
        } finally {
            reader.shutdownNow();
        }
        assertEquals(60, Files.size(partial));
    }

    private static void awaitSize(Path file, long size) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(file) && Files.size(file) == size)) {
            assertTrue(System.nanoTime() < deadline, file + " never reached " + size + " bytes");
            Thread.sleep(10);
        }
    }

    @Test
    void aShortDownloadSaysTheServerSentLessAndThatARunResumesIt() throws Exception {
        HfSource source = new HfSource(env());
        int size = big("alpha", 40).length();
        hub.shortenNextDownloadBy.set(100);
        IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/a.jsonl"));
        assertEquals("hf://datasets/acme/tales@" + C1 + "/data/a.jsonl: the server sent " + (size - 100) + " of the " + size
                + " bytes it declared; run again to resume", e.getMessage());
        assertEquals(40, texts(source, "hf://datasets/acme/tales/data/a.jsonl").size());
        assertTrue(hub.requests.stream().anyMatch(r -> ("bytes=" + (size - 100) + "-").equals(r.range())));

        hub.resolveStatus = 503;
        IOException down = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/README.md"));
        assertTrue(down.getMessage().endsWith(": HTTP 503, and the cache at " + repo("tales")
                + " has no copy (once the Hub answers, a first download fills it)"), down.getMessage());
    }

    @Test
    void worksOfflineFromTheCacheAndFallsBackWhenTheHubIsDown() throws Exception {
        texts(new HfSource(env()), "hf://datasets/acme/tales/train.jsonl");
        texts(new HfSource(env()), "hf://datasets/acme/tales/data/*.jsonl");
        int before = hub.requests.size();
        HfSource offline = new HfSource(env("HF_HUB_OFFLINE", "1"));
        assertEquals(List.of("one", "two"), texts(offline, "hf://datasets/acme/tales/train.jsonl"));
        assertEquals(70, texts(offline, "hf://datasets/acme/tales/data/*.jsonl").size());
        assertEquals(before, hub.requests.size(), "offline means no request at all");
        IOException miss = assertThrows(IOException.class, () -> texts(offline, "hf://datasets/acme/tales/README.md"));
        assertTrue(miss.getMessage().contains("not in the cache") && miss.getMessage().contains("HF_HUB_OFFLINE"),
                miss.getMessage());
        IOException noRepo = assertThrows(IOException.class, () -> texts(offline, "hf://datasets/acme/other/x.jsonl"));
        assertTrue(noRepo.getMessage().contains("not in the cache"), noRepo.getMessage());

        hub.close();
        assertEquals(List.of("one", "two"), texts(new HfSource(env()), "hf://datasets/acme/tales/train.jsonl"),
                "an unreachable Hub falls back to the cache");
        IOException neither = assertThrows(IOException.class,
                () -> texts(new HfSource(env()), "hf://datasets/acme/other/x.jsonl"));
        assertTrue(neither.getMessage().contains(": cannot reach localhost (connection refused, or no route to it), and the"
                + " cache at ") && neither.getMessage().contains(" has no copy"), neither.getMessage());
    }

    @Test
    void followsBranchMovesAndPinnedRevisions() throws Exception {
        HfSource source = new HfSource(env());
        String before = source.fingerprint("hf://datasets/acme/tales/train.jsonl", ReadOptions.defaults());
        assertEquals(List.of("old"), texts(source, "hf://datasets/acme/tales@v1/train.jsonl"));
        assertEquals(C0, Files.readString(repo("tales").resolve("refs/v1")));

        hub.publish("acme/tales", "main", C2, Map.of("train.jsonl", "{\"text\":\"new\"}\n"));
        assertEquals(List.of("new"), texts(source, "hf://datasets/acme/tales/train.jsonl"));
        assertEquals(C2, Files.readString(repo("tales").resolve("refs/main")));
        assertNotEquals(before, source.fingerprint("hf://datasets/acme/tales/train.jsonl", ReadOptions.defaults()));
        int requests = hub.requests.size();
        assertEquals(List.of("one", "two"), texts(source, "hf://datasets/acme/tales@" + C1 + "/train.jsonl"));
        assertEquals(requests, hub.requests.size(), "a cached file at a pinned commit needs no request");
    }

    @Test
    void sendsTheTokenToTheHubOnlyAndExplainsRefusals() throws Exception {
        hub.publish("acme/secret", "main", C2, Map.of("s.jsonl", big("hidden", 30)));
        hub.makePrivate("acme/secret", "tok-123");
        IOException denied = assertThrows(IOException.class, () -> texts(new HfSource(env()), "hf://datasets/acme/secret/s.jsonl"));
        assertTrue(denied.getMessage().contains("HF_TOKEN"), denied.getMessage());

        assertEquals(30, texts(new HfSource(env("HF_TOKEN", "tok-123")), "hf://datasets/acme/secret/s.jsonl").size());
        for (FakeHub.Request r : hub.requests) {
            if (r.path().startsWith("/cdn/")) {
                assertNull(r.authorization(), "the token must not go to the CDN");
            }
        }
        IOException missing = assertThrows(IOException.class, () -> texts(new HfSource(env()), "hf://datasets/acme/tales/nope.jsonl"));
        assertTrue(missing.getMessage().contains("404"), missing.getMessage());
    }

    @Test
    void aDirectoryThatFailsSaysWhyRatherThanNotFound() {
        HfSource source = new HfSource(env());
        hub.omitCommitHeader = true;
        IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data"));
        assertTrue(e.getMessage().contains("no X-Repo-Commit") && !e.getMessage().contains("404"), e.getMessage());

        IOException missing = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/nodir"));
        assertTrue(missing.getMessage().contains("not found (HTTP 404)"), missing.getMessage());
    }

    @Test
    void anEndpointThatIsNotAUrlIsNamedWithItsValue() throws IOException {
        for (String[] bad : new String[][] {
                {"not a url", "not a URL (Illegal character in path at index 3)"},
                {"huggingface.co", "not an http or https URL"},
                {"ftp://mirror.example", "not an http or https URL"}}) {
            HfSource source = new HfSource(env("HF_ENDPOINT", bad[0]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> texts(source, "hf://datasets/acme/tales/train.jsonl"));
            assertEquals("HF_ENDPOINT is \"" + bad[0] + "\", " + bad[1] + "; set it to the Hub's address, such as"
                    + " https://huggingface.co, or unset it", e.getMessage());
        }
        assertEquals(List.of("one", "two"), texts(new HfSource(env("HF_ENDPOINT", hub.endpoint())),
                "hf://datasets/acme/tales/train.jsonl"), "a good one still works, also without the trailing slash");
    }

    @Test
    void aSizeHeaderThatIsNotANumberIsNamedWithTheUrl() {
        hub.linkedSize = "lots";
        IOException e = assertThrows(IOException.class, () -> texts(new HfSource(env()), "hf://datasets/acme/tales/data/a.jsonl"));
        assertEquals("hf://datasets/acme/tales@main/data/a.jsonl: " + hub.endpoint() + "/datasets/acme/tales/resolve/main/"
                + "data/a.jsonl sent X-Linked-Size: \"lots\", which is not a size in bytes; is HF_ENDPOINT a Hub?",
                e.getMessage());
        hub.linkedSize = "-5";
        IOException negative = assertThrows(IOException.class,
                () -> texts(new HfSource(env()), "hf://datasets/acme/tales/data/a.jsonl"));
        assertTrue(negative.getMessage().contains(" sent X-Linked-Size: \"-5\", which is not a size in bytes"),
                negative.getMessage());
    }

    @Test
    void anEtagThatCannotNameABlobIsNamedWithItsHeaderAndUrl() {
        hub.etag = "\"../../escape\"";
        IOException small = assertThrows(IOException.class, () -> texts(new HfSource(env()), "hf://datasets/acme/tales/train.jsonl"));
        assertEquals("hf://datasets/acme/tales@main/train.jsonl: " + hub.endpoint() + "/datasets/acme/tales/resolve/main/"
                + "train.jsonl sent ETag: \"\"../../escape\"\", which cannot name a file in the cache; is HF_ENDPOINT"
                + " a Hub?", small.getMessage());
        hub.etag = "\"\"";
        IOException large = assertThrows(IOException.class, () -> texts(new HfSource(env()), "hf://datasets/acme/tales/data/a.jsonl"));
        assertTrue(large.getMessage().contains("/data/a.jsonl sent X-Linked-Etag: \"\"\"\", which cannot name a file"),
                large.getMessage());
        assertFalse(Files.exists(home.resolve("escape")), "nothing was written outside the cache");
    }

    @Test
    void anApiAnswerThatIsNotJsonNamesTheUrlAndWhatCame() {
        HfSource source = new HfSource(env());
        hub.htmlFor = "tree";
        IOException tree = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/*.jsonl"));
        assertEquals(hub.endpoint() + "/api/datasets/acme/tales/tree/" + C1 + "/data: the Hub answered with something"
                + " that is not JSON (text/html; charset=utf-8: \"<!DOCTYPE html> <html><head><title>Sign in to the…\");"
                + " is HF_ENDPOINT a Hub?", tree.getMessage());
        hub.htmlFor = "revision";
        IOException revision = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/*.jsonl"));
        assertTrue(revision.getMessage().startsWith(hub.endpoint() + "/api/datasets/acme/tales/revision/main: the Hub"
                + " answered with something that is not JSON (text/html"), revision.getMessage());
    }

    @Test
    void refusesAParquetFileBeforeDownloadingIt() throws Exception {
        HfSource source = new HfSource(env());
        IOException e = assertThrows(IOException.class, () -> texts(source, "hf://datasets/acme/tales/data/table.parquet"));
        assertTrue(e.getMessage().startsWith("hf://datasets/acme/tales@main/data/table.parquet: Parquet is not supported;"),
                e.getMessage());
        assertEquals(0, hub.count("GET", "/datasets/acme/tales/resolve/main/data/table.parquet"));
        texts(source, "hf://datasets/acme/tales/train.jsonl");   // the cache knows the revision, not the file
        for (String offline : new String[] {"hf://datasets/acme/tales/data/table.parquet", "hf://datasets/acme/never/x.parquet"}) {
            IOException cached = assertThrows(IOException.class, () -> texts(new HfSource(env("HF_HUB_OFFLINE", "1")), offline));
            assertTrue(cached.getMessage().contains(": Parquet is not supported;"), "offline too: " + cached.getMessage());
        }
    }

    @Test
    void concurrentReadsDownloadABlobOnce() throws Exception {
        HfSource source = new HfSource(env());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<String>>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reads.add(pool.submit(() -> texts(source, "hf://datasets/acme/tales/data/b.jsonl")));
            }
            for (java.util.concurrent.Future<List<String>> r : reads) {
                assertEquals(30, r.get().size());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, hub.count("GET", "/cdn/"), "one download, the other readers wait for it");
    }

    @Test
    void followsRelativeRedirectsOfRenamedRepositories() throws Exception {
        hub.rename("acme/old-tales", "acme/tales");
        assertEquals(List.of("one", "two"), texts(new HfSource(env()), "hf://datasets/acme/old-tales/train.jsonl"));
    }

    @Test
    void reusesFilesThePythonToolsDownloaded() throws Exception {
        String content = "{\"text\":\"from python\"}\n";
        hub.publish("acme/py", "main", C1, Map.of("x.jsonl", content));
        Path repo = home.resolve("hub/datasets--acme--py");
        String etag = FakeHub.gitEtag(content.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(repo.resolve("blobs"));
        Files.writeString(repo.resolve("blobs/" + etag), content);
        Files.createDirectories(repo.resolve("snapshots/" + C1));
        Files.createSymbolicLink(repo.resolve("snapshots/" + C1 + "/x.jsonl"), Path.of("../../blobs/" + etag));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), C1);

        assertEquals(List.of("from python"), texts(new HfSource(env()), "hf://datasets/acme/py/x.jsonl"));
        assertEquals(0, hub.count("GET", "/datasets/acme/py"), "nothing downloaded");
        assertEquals(List.of("from python"), texts(new HfSource(env("HF_HUB_OFFLINE", "true")), "hf://datasets/acme/py/x.jsonl"));
    }

    @Test
    void rejectsLocationsThatAreNotDatasets() {
        HfSource source = new HfSource(env());
        assertThrows(IllegalArgumentException.class, () -> texts(source, "hf://models/acme/tales/x.jsonl"));
        assertThrows(IllegalArgumentException.class, () -> texts(source, "hf://datasets/acme"));
        assertThrows(IllegalArgumentException.class, () -> texts(source, "hf://datasets/acme/tales/../../etc/passwd"));
    }
}

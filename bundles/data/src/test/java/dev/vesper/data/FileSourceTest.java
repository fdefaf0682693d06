package dev.vesper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vesper.api.data.Document;
import dev.vesper.api.data.MalformedInputException;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    @TempDir
    Path dir;
    private final FileSource source = new FileSource();

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path writeBytes(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private Path gzip(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private List<Document> read(Path p, ReadOptions o) throws IOException {
        List<Document> docs = new ArrayList<>();
        source.read(p.toString(), o, docs::add);
        return docs;
    }

    private List<Document> readLocation(String location) throws IOException {
        List<Document> docs = new ArrayList<>();
        source.read(location, ReadOptions.defaults(), docs::add);
        return docs;
    }

    private static List<String> texts(List<Document> docs) {
        return docs.stream().map(Document::text).toList();
    }

    @Test
    void readsJsonLinesWithAConfigurableFieldAndPairs() throws Exception {
        Path p = write("a.jsonl", "{\"text\":\"hello\",\"id\":1}\n\n{\"body\":\"b\",\"text\":\"world\"}\r\n"
                + "{\"prompt\":\"Q: 2+2? \",\"response\":\"A: 4\"}\n");
        List<Document> docs = read(p, ReadOptions.defaults());
        assertEquals(List.of("hello", "world", "User: Q: 2+2?\nVesper: A: 4\n"), texts(docs));
        assertTrue(docs.get(2).isPair());
        assertEquals("Q: 2+2? ", docs.get(2).prompt());
        assertEquals("A: 4", docs.get(2).response());
        assertEquals(p + ":4", docs.get(2).origin());

        Path q = write("b.jsonl", "{\"body\":\"x\"}\n{\"body\":\"y\"}\n");
        assertEquals(List.of("x", "y"), texts(read(q, new ReadOptions("body", false))));
        Path pairs = write("c.jsonl", "{\"q\":\"ask\",\"a\":\"tell\"}\n");
        assertEquals(List.of("User: ask\nVesper: tell\n"), texts(read(pairs,
                new ReadOptions(null, false, ReadOptions.TextSplit.FILE, "q", "a"))));
    }

    @Test
    void readsJsonArraysAndDataOrRowsObjects() throws Exception {
        assertEquals(List.of("a", "b", "c"), texts(read(write("1.json",
                "[{\"text\":\"a\"}, \"b\", {\"text\":\"c\"}]"), ReadOptions.defaults())));
        assertEquals(List.of("d", "e"), texts(read(write("2.json",
                "{\"version\": 2, \"meta\": {\"rows\": 5}, \"data\": [{\"text\":\"d\"}, {\"text\":\"e\"}]}"), ReadOptions.defaults())));
        assertEquals(List.of("f"), texts(read(write("3.json", "{\"rows\": [{\"text\":\"f\"}]}"), ReadOptions.defaults())));
        assertEquals(List.of("g", "h"), texts(read(write("5.json", "{\"text\":\"g\"}\n{\"text\":\"h\"}\n"),
                ReadOptions.defaults())), "a .json file holding JSON Lines");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> read(write("4.json", "{\"items\": []}"), ReadOptions.defaults()));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("\"text\""), e.getMessage());
        MalformedInputException scalar = assertThrows(MalformedInputException.class,
                () -> read(write("6.json", "42"), ReadOptions.defaults()));
        assertTrue(scalar.getMessage().contains("top-level array"), scalar.getMessage());
    }

    @Test
    void aJsonLineWithMoreThanOneValueIsBadNotCutShort() throws Exception {
        Path p = write("two.jsonl", "{\"text\":\"a\"}{\"text\":\"b\"}\n{\"text\":\"c\"} trailing garbage\n{\"text\":\"d\"}  \n");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(p, ReadOptions.defaults()));
        assertEquals(p + ":1:13: content after the JSON value (one object per line)", e.getMessage());
        assertTrue(e.skippable());
        List<Document> docs = new ArrayList<>();
        ReadSummary s = source.read(p.toString(), ReadOptions.defaults().withSkipBadLines(true), docs::add);
        assertEquals(List.of("d"), texts(docs), "trailing blanks are fine");
        assertEquals(2, s.badLines());
        Path garbage = write("garbage.json", "{\"text\":\"a\"}\n{\"text\":\"c\"} trailing garbage\n");
        assertTrue(message(garbage).startsWith(garbage + ":2:14: content after the JSON value"), message(garbage));
    }

    @Test
    void aJsonFileWithAnythingAfterItsValueIsRefused() throws Exception {
        Path two = write("two.json", "[{\"text\":\"a\"}]\n[{\"text\":\"b\"}]\n");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> read(two, ReadOptions.defaults().withSkipBadLines(true)));
        assertEquals(two + ":2:1: content after the JSON value that ended at line 1, column 15; a .json file holds"
                + " one JSON value, or one object per line as JSON Lines", e.getMessage());
        assertFalse(e.skippable(), "the file's structure, not one record");
        Path garbage = write("garbage.json", "[\"a\"] and more");
        assertTrue(message(garbage).startsWith(garbage + ":1:"), message(garbage));
        assertTrue(message(garbage).contains("content after the JSON value that ended at line 1, column 6 (Unrecognized"
                + " token 'and'"), message(garbage));
        Path data = write("data.json", "{\"data\": [\"a\"], \"meta\": {\"rows\": [1]}}\n{\"data\": [\"b\"]}");
        assertTrue(message(data).startsWith(data + ":2:1: content after the JSON value"), message(data));
        assertEquals(List.of("a"), texts(read(write("meta.json", "{\"data\": [\"a\"], \"meta\": {\"rows\": [1]}}\n"),
                ReadOptions.defaults())), "fields after the data array are allowed");
    }

    @Test
    void aPrettyPrintedJsonRecordIsOneDocument() throws Exception {
        Path pretty = write("pretty.json", "{\n  \"id\": 7,\n  \"text\": \"hello there\"\n}\n");
        List<Document> docs = read(pretty, ReadOptions.defaults());
        assertEquals(List.of("hello there"), texts(docs));
        assertEquals(pretty + ":1", docs.get(0).origin());
        Path pair = write("pair.json", "{\n  \"prompt\": \"Hi\",\n  \"response\": \"Hello\"\n}");
        assertEquals(List.of("User: Hi\nVesper: Hello\n"), texts(read(pair, ReadOptions.defaults())));

        Path config = write("config.json", "{\n  \"items\": [1, 2]\n}\n");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> read(config, ReadOptions.defaults().withSkipBadLines(true)));
        assertEquals(config + ":1:1: a .json file holds a top-level array, an object with a \"data\" or \"rows\" array,"
                + " one record object, or JSON Lines (one object per line); this object (lines 1 to 3) has no \"data\""
                + " or \"rows\" array and is no record: expected an object with a string field \"text\" (or \"prompt\""
                + " and \"response\")", e.getMessage());
        Path two = write("twopretty.json", "{\n  \"text\": \"a\"\n}\n{\n  \"text\": \"b\"\n}\n");
        assertTrue(message(two).startsWith(two + ":4:1: content after the JSON value that ended at line 3, column 2;"),
                message(two));
    }

    @Test
    void readsPlainTextByFileOrByBlankLines() throws Exception {
        Path p = write("t.txt", "First para\nline two\n\n  \nSecond para\n\n\nThird\n");
        List<Document> paragraphs = read(p, ReadOptions.defaults());
        assertEquals(List.of("First para\nline two", "Second para", "Third"), texts(paragraphs));
        assertEquals(p + ":5", paragraphs.get(1).origin());
        List<Document> whole = read(p, ReadOptions.defaults().withTextSplit(ReadOptions.TextSplit.FILE));
        assertEquals(List.of("First para\nline two\n\n  \nSecond para\n\n\nThird"), texts(whole));
    }

    @Test
    void dropsAByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "first\n\nsecond".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(text, 0, all, 3, text.length);
        assertEquals(List.of("first", "second"), texts(read(writeBytes("bom.txt", all), ReadOptions.defaults())));
    }

    @Test
    void readsGzipOfEachFormat() throws Exception {
        assertEquals(List.of("z1", "z2"), texts(read(gzip("g.jsonl.gz", "{\"text\":\"z1\"}\n{\"text\":\"z2\"}\n"), ReadOptions.defaults())));
        assertEquals(List.of("z3"), texts(read(gzip("g.json.gz", "[\"z3\"]"), ReadOptions.defaults())));
        assertEquals(List.of("z4", "z5"), texts(read(gzip("g.txt.gz", "z4\n\nz5"), ReadOptions.defaults())));
        byte[] whole = Files.readAllBytes(gzip("cut.txt.gz", "some text that will be cut short ".repeat(50)));
        Path cut = writeBytes("cut2.txt.gz", java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> read(cut, ReadOptions.defaults()));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }

    @Test
    void readsDirectoriesInPathOrderSkippingHiddenAndUnknownFiles() throws Exception {
        write("corpus/b/2.txt", "two");
        write("corpus/a.jsonl", "{\"text\":\"one\"}\n");
        gzip("corpus/c.json.gz", "[\"three\"]");
        write("corpus/.hidden/x.txt", "hidden");
        write("corpus/.secret.txt", "hidden too");
        write("corpus/image.png", "not text");
        write("corpus/README.md", "# About this corpus");
        ReadSummary[] s = new ReadSummary[1];
        List<Document> docs = new ArrayList<>();
        s[0] = source.read("file:" + dir.resolve("corpus"), ReadOptions.defaults(), docs::add);
        assertEquals(List.of("one", "two", "three"), texts(docs));
        assertEquals(3, s[0].documents());
        assertEquals(11, s[0].bytes());
        assertThrows(NoSuchFileException.class, () -> read(dir.resolve("missing"), ReadOptions.defaults()));
        Path device = Path.of("/dev/null");
        if (Files.exists(device)) {
            java.nio.file.FileSystemException notAFile = assertThrows(java.nio.file.FileSystemException.class,
                    () -> read(device, ReadOptions.defaults()));
            assertFalse(notAFile instanceof NoSuchFileException, "it is there: " + notAFile);
            assertTrue(notAFile.getMessage().contains("not a regular file or folder"), notAFile.getMessage());
        }
        write("empty/notes.md", "markdown only");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> read(dir.resolve("empty"), ReadOptions.defaults()));
        assertTrue(e.getMessage().contains(".jsonl"), e.getMessage());
        assertEquals(List.of("markdown only"), texts(read(dir.resolve("empty/notes.md"), ReadOptions.defaults())));
    }

    @Test
    void aFolderTheWalkCannotEnterIsNamedWithTheReason() throws Exception {
        Path root = dir.resolve("corpus");
        Path locked = root.resolve("locked");
        IOException e = assertThrows(AccessDeniedException.class, () -> FileSource.known(root,
                () -> Stream.of(root.resolve("a.txt")).peek(p -> {
                    throw new UncheckedIOException(new AccessDeniedException(locked.toString()));
                })));
        assertEquals(locked + ": permission denied", e.getMessage());
    }

    @Test
    void aFolderOrFileThatCannotBeReadSaysPermissionDenied() throws Exception {
        Path root = dir.resolve("corpus");
        Path locked = root.resolve("locked");
        write("corpus/a.txt", "x");
        write("corpus/locked/b.txt", "y");
        Path file = write("unreadable.txt", "z");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked), "root reads any folder (the test above simulates the walk's failure)");
            assertEquals(locked + ": permission denied", assertThrows(IOException.class,
                    () -> read(root, ReadOptions.defaults())).getMessage());
            assertEquals(file + ": permission denied", assertThrows(IOException.class,
                    () -> read(file, ReadOptions.defaults())).getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void malformedInputNamesFileLineAndColumn() throws Exception {
        Path p = write("bad.jsonl", "{\"text\":\"ok\"}\n{\"text\": \"unterminated}\n{\"text\":\"fine\"}\n{\"other\":1}\n");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(p, ReadOptions.defaults()));
        assertEquals(p.toString(), e.file());
        assertEquals(2, e.line());
        assertTrue(e.column() > 1, "column " + e.column());
        assertTrue(e.getMessage().startsWith(p + ":2:"), e.getMessage());
        assertTrue(e.skippable(), "one line: skipping bad lines passes over it");

        List<Document> docs = new ArrayList<>();
        ReadSummary s = source.read(p.toString(), ReadOptions.defaults().withSkipBadLines(true), docs::add);
        assertEquals(List.of("ok", "fine"), texts(docs));
        assertEquals(2, s.badLines());
        assertTrue(s.firstBadLine().startsWith(p + ":2:"), s.firstBadLine());

        Path noField = write("nofield.jsonl", "{\"text\":\"ok\"}\n{\"content\":\"x\"}\n");
        MalformedInputException f = assertThrows(MalformedInputException.class, () -> read(noField, ReadOptions.defaults()));
        assertEquals(2, f.line());
        assertTrue(f.getMessage().contains("\"text\""), f.getMessage());
    }

    @Test
    void invalidUtf8InTextIsReportedOrSkipped() throws Exception {
        byte[] content = "good line\nab\u00e9c".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[content.length + 6];
        System.arraycopy(content, 0, bad, 0, content.length);
        bad[content.length] = (byte) 0xFF;
        System.arraycopy("\nlast".getBytes(StandardCharsets.UTF_8), 0, bad, content.length + 1, 5);
        Path p = writeBytes("bad.txt", bad);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(p, ReadOptions.defaults()));
        assertEquals(2, e.line());
        assertEquals(5, e.column());
        List<Document> docs = read(p, ReadOptions.defaults().withSkipBadLines(true));
        assertEquals(List.of("good line\nlast"), texts(docs));
    }

    @Test
    void jsonSyntaxErrorsArePositioned() throws Exception {
        Path p = write("bad.json", "[\n  {\"text\": \"a\"},\n  {\"text\": nope}\n]");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> read(p, ReadOptions.defaults()));
        assertEquals(3, e.line());
        assertTrue(e.column() >= 12, e.getMessage());
        assertFalse(e.skippable(), "the array's syntax is the file's, not one record's");
    }

    @Test
    void jsonErrorsSayWhatIsWrongWithoutTheParsersInternals() throws Exception {
        Path cut = write("malformed.jsonl", "{\"text\":\"ok\"}\n{\"text\": \"a\", \"n\": 1\n");
        assertEquals(cut + ":2:21: unexpected end of the line inside an object", message(cut));
        Path string = write("string.jsonl", "{\"text\": \"unterminated\n");
        assertEquals(string + ":1:23: unexpected end of the line inside a string", message(string));
        Path token = write("token.jsonl", "{\"text\": nope}\n");
        assertEquals(token + ":1:10: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object"
                + " or token 'null', 'true' or 'false')", message(token));
        Path number = write("number.jsonl", "{\"text\": \"a\", \"n\": " + "9".repeat(1001) + "}\n");
        assertEquals(number + ":1:1: Number value length (1001) exceeds the maximum allowed (1000)", message(number));
        Path truncated = write("truncated.json", "[\n  {\"text\": \"a\"},\n  {\"text\": \"b\"");
        assertEquals(truncated + ":3:15: unexpected end of the file inside an object", message(truncated));
        Path open = write("open.json", "{\"data\": [{\"text\": \"a\"}");
        assertEquals(open + ":1:24: unexpected end of the file inside an array", message(open));
    }

    @Test
    void readsJsonTextsLongerThanJacksonsDefaultLimit() throws Exception {
        String huge = "a".repeat(20_051_295);
        Path lines = write("huge.jsonl", "{\"text\":\"" + huge + "\"}\n");
        assertEquals(huge.length(), read(lines, ReadOptions.defaults()).get(0).text().length());
        Path array = write("huge.json", "[\"" + huge + "\"]");
        assertEquals(huge.length(), read(array, ReadOptions.defaults()).get(0).text().length());
    }

    @Test
    void refusesAParquetFileNamedExplicitly() throws Exception {
        Path p = write("data.parquet", "PAR1 not really");
        IOException e = assertThrows(IOException.class, () -> read(p, ReadOptions.defaults()));
        assertEquals(p + ": Parquet is not supported; Vesper reads JSON Lines (.jsonl, .ndjson), JSON (.json) and plain"
                + " text (.txt and any other name), each optionally gzip-compressed; convert it, e.g. with pandas:"
                + " pd.read_parquet(\"data.parquet\").to_json(\"data.jsonl\", orient=\"records\", lines=True)", e.getMessage());
    }

    private String message(Path p) {
        return assertThrows(MalformedInputException.class, () -> read(p, ReadOptions.defaults())).getMessage();
    }

    @Test
    void fingerprintFollowsContentAndOptions() throws Exception {
        Path p = write("f.txt", "abc");
        String a = source.fingerprint(p.toString(), ReadOptions.defaults());
        assertEquals(a, source.fingerprint("file://" + p, ReadOptions.defaults()));
        assertEquals(a, source.fingerprint(p.toUri().toString(), ReadOptions.defaults()));
        Path spaced = write("with space é.txt", "x");
        assertTrue(spaced.toUri().toString().contains("%20"));
        assertEquals(List.of("x"), texts(readLocation(spaced.toUri().toString())), "file: URIs are decoded");
        assertNotEquals(a, source.fingerprint(p.toString(), ReadOptions.defaults().withTextSplit(ReadOptions.TextSplit.FILE)));
        Files.writeString(p, "abcd");
        assertNotEquals(a, source.fingerprint(p.toString(), ReadOptions.defaults()));
        String b = source.fingerprint(p.toString(), ReadOptions.defaults());
        Files.setLastModifiedTime(p, FileTime.fromMillis(12345));
        assertNotEquals(b, source.fingerprint(p.toString(), ReadOptions.defaults()));
    }
}

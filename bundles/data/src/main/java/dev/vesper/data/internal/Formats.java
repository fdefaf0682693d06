package dev.vesper.data.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.MalformedInputException;
import dev.vesper.api.data.ReadOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads one file of documents: JSON Lines, JSON (a top-level array, an object with a
 * {@code data} or {@code rows} array, or one pretty-printed record), or plain text; any of them gzip-compressed. The format
 * follows the name ({@code .jsonl}, {@code .ndjson}, {@code .json}, anything else is text) without
 * a {@code .gz} suffix; gzip is recognised by its magic bytes.
 */
public final class Formats {
    /**
     * Jackson caps a string at 20,000,000 characters by default, which a training text may pass (a
     * whole book on one line); the line is in memory already, so Java's own limit is the one to keep.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());
    /** " (start marker at [Source: …; line: 1, column: 1])" and the like. */
    private static final Pattern SOURCE = Pattern.compile(
            "\\s*(\\(start marker at |at )?\\[Source: .*?line: \\d+, column: \\d+]\\)?", Pattern.DOTALL);
    /** ", from `StreamReadConstraints.getMaxNumberLength()`" after a limit. */
    private static final Pattern SETTING = Pattern.compile(", from `\\w+\\.\\w+\\(\\)`");

    /** The top-level forms a {@code .json} file may take, for messages. */
    private static final String JSON_FORMS = "a top-level array, an object with a \"data\" or \"rows\" array, one record"
            + " object, or JSON Lines (one object per line)";
    private static final String ONE_VALUE = "a .json file holds one JSON value, or one object per line as JSON Lines";

    /** The formats a directory read picks up (Markdown only when named, since most READMEs are not data). */
    private static final String[] KNOWN = {".jsonl", ".ndjson", ".json", ".txt", ".text"};

    private Formats() {
    }

    /** Whether a directory read includes this file name. */
    public static boolean isKnown(String name) {
        String n = baseName(name);
        for (String ext : KNOWN) {
            if (n.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a file matched by an explicit pattern is read: the known formats and Markdown. */
    public static boolean isReadable(String name) {
        String n = baseName(name);
        return isKnown(name) || n.endsWith(".md") || n.endsWith(".markdown");
    }

    /**
     * Refuses a file named explicitly that is in a format Vesper cannot read, which would otherwise
     * be read as text and train on its bytes.
     */
    public static void requireReadable(String name, String display) throws IOException {
        if (!baseName(name).endsWith(".parquet")) {
            return;
        }
        String stem = name.substring(name.lastIndexOf('/') + 1).replaceFirst("(?i)\\.parquet(\\.gz)?$", "");
        throw new IOException(display + ": Parquet is not supported; Vesper reads JSON Lines (.jsonl, .ndjson), JSON"
                + " (.json) and plain text (.txt and any other name), each optionally gzip-compressed; convert it, e.g."
                + " with pandas: pd.read_parquet(\"" + stem + ".parquet\").to_json(\"" + stem
                + ".jsonl\", orient=\"records\", lines=True)");
    }

    /**
     * Streams the documents of {@code file}; {@code display} names it in origins and errors.
     */
    public static void read(Path file, String display, ReadOptions options, Tally tally) throws IOException {
        requireReadable(file.getFileName().toString(), display);
        try {
            readFile(file, display, options, tally);
        } catch (MalformedInputException e) {
            throw e;
        } catch (java.nio.file.FileSystemException e) {
            // an unreadable file: "<file>: permission denied", not the bare path the JDK's message is
            throw FileFaults.withReason(e);
        } catch (IOException e) {
            // a truncated gzip stream and the like: say which file
            throw new IOException(display + ": " + e.getMessage(), e);
        }
    }

    private static void readFile(Path file, String display, ReadOptions options, Tally tally) throws IOException {
        String name = baseName(file.getFileName().toString());
        JsonForm form;
        try (InputStream in = open(file)) {
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                readJsonLines(in, display, options, tally);
                return;
            }
            if (!name.endsWith(".json")) {
                readText(in, display, options, tally);
                return;
            }
            form = readJson(in, display, options, tally);
        }
        if (form == JsonForm.READ) {
            return;
        }
        // the first pass only looked at the first object; what it holds takes a second one
        try (InputStream in = open(file)) {
            if (form == JsonForm.LINES) {
                readJsonLines(in, display, options, tally);
            } else {
                readRecord(in, display, options, tally);
            }
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return maybeGunzip(raw);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static String baseName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static void readJsonLines(InputStream in, String display, ReadOptions options, Tally tally) throws IOException {
        LineReader lines = new LineReader(in);
        while (lines.next()) {
            long n = lines.number();
            String text;
            try {
                text = Utf8.decode(lines.bytes(), lines.length());
            } catch (Utf8.BadBytes e) {
                tally.bad(new MalformedInputException(display, n, e.column, "invalid UTF-8", true));
                continue;
            }
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = readLine(text, display, n);
            } catch (MalformedInputException e) {
                tally.bad(e);
                continue;
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                tally.bad(new MalformedInputException(display, n, at == null ? 1 : Math.max(1, at.getColumnNr()),
                        reason(e, "line"), true));
                continue;
            }
            Document d = document(node, options, display + ":" + n);
            if (d == null) {
                tally.bad(new MalformedInputException(display, n, 1, missing(options), true));
            } else {
                tally.accept(d);
            }
        }
    }

    /**
     * One line of JSON Lines as one JSON value. Jackson stops after the first value and would drop
     * whatever follows it on the line (a second object, garbage) without a word.
     */
    private static JsonNode readLine(String text, String display, long line) throws IOException {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonNode node = MAPPER.readTree(p);
            int end = (int) p.currentLocation().getCharOffset();
            for (int i = end; i < text.length(); i++) {
                if (!Character.isWhitespace(text.charAt(i))) {
                    throw new MalformedInputException(display, line, i + 1,
                            "content after the JSON value (one object per line)", true);
                }
            }
            return node;
        }
    }

    /** What the first pass over a {@code .json} file found it to be. */
    private enum JsonForm {
        /** an array, or an object with a "data" or "rows" array: read whole */
        READ,
        /** a first object on one line: JSON Lines */
        LINES,
        /** a first object over several lines: one pretty-printed record */
        RECORD
    }

    /**
     * Reads a JSON array file, or says what else the file is: a first object without a {@code data}
     * or {@code rows} array is JSON Lines when it ends on its first line, else one record.
     */
    private static JsonForm readJson(InputStream in, String display, ReadOptions options, Tally tally) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                long startLine = p.currentTokenLocation().getLineNr();
                if (!seekArrayField(p)) {
                    return p.currentTokenLocation().getLineNr() == startLine ? JsonForm.LINES : JsonForm.RECORD;
                }
            } else if (first != JsonToken.START_ARRAY) {
                throw malformed(display, p.currentLocation(), "expected " + JSON_FORMS);
            }
            readElements(p, display, options, tally);
            if (first == JsonToken.START_OBJECT) {
                skipRestOfObject(p);
            }
            requireEnd(p, display);
            return JsonForm.READ;
        } catch (JsonProcessingException e) {
            throw malformed(display, e.getLocation(), reason(e, "file"));
        }
    }

    private static void readElements(JsonParser p, String display, ReadOptions options, Tally tally) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw malformed(display, p.currentLocation(), "unexpected end of the file inside an array");
            }
            JsonLocation at = p.currentTokenLocation();
            JsonNode element = MAPPER.readTree(p);
            String origin = display + ":" + at.getLineNr();
            Document d = element.isTextual() ? Document.text(element.asText(), origin) : document(element, options, origin);
            if (d == null) {
                tally.bad(new MalformedInputException(display, at.getLineNr(), at.getColumnNr(), missing(options), true));
            } else {
                tally.accept(d);
            }
        }
    }

    /** The fields after a {@code data} or {@code rows} array, up to the object's end; they hold no documents. */
    private static void skipRestOfObject(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
            p.skipChildren();
        }
    }

    /**
     * Refuses anything after the file's one JSON value: a parser stops at the end of the first value,
     * and a second array (or garbage) after it would be dropped without a word.
     */
    private static void requireEnd(JsonParser p, String display) throws IOException {
        JsonLocation end = p.currentLocation();
        JsonToken next;
        try {
            next = p.nextToken();
        } catch (JsonProcessingException garbage) {
            throw malformed(display, garbage.getLocation(), "content after the JSON value that ended at line "
                    + end.getLineNr() + ", column " + end.getColumnNr() + " (" + reason(garbage, "file") + "); "
                    + ONE_VALUE);
        }
        if (next != null) {
            throw malformed(display, p.currentTokenLocation(), "content after the JSON value that ended at line "
                    + end.getLineNr() + ", column " + end.getColumnNr() + "; " + ONE_VALUE);
        }
    }

    /**
     * A {@code .json} file whose one object spans several lines, as {@code json.dump(record, indent=2)}
     * writes it: one document, or refused when it holds no text, since it is not JSON Lines either.
     */
    private static void readRecord(InputStream in, String display, ReadOptions options, Tally tally) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            p.nextToken();
            JsonLocation at = p.currentTokenLocation();
            JsonNode record = MAPPER.readTree(p);
            long lastLine = p.currentLocation().getLineNr();
            requireEnd(p, display);
            Document d = document(record, options, display + ":" + at.getLineNr());
            if (d == null) {
                throw malformed(display, at, "a .json file holds " + JSON_FORMS + "; this object (lines "
                        + at.getLineNr() + " to " + lastLine + ") has no \"data\" or \"rows\" array and is no record: "
                        + missing(options));
            }
            tally.accept(d);
        } catch (JsonProcessingException e) {
            throw malformed(display, e.getLocation(), reason(e, "file"));
        }
    }

    /** Moves the parser into the array value of the first {@code data} or {@code rows} field. */
    private static boolean seekArrayField(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_ARRAY && ("data".equals(field) || "rows".equals(field))) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    private static void readText(InputStream in, String display, ReadOptions options, Tally tally) throws IOException {
        boolean wholeFile = options.textSplit() == ReadOptions.TextSplit.FILE;
        LineReader lines = new LineReader(in);
        StringBuilder doc = new StringBuilder();
        long docLine = 0;
        boolean open = false;
        while (lines.next()) {
            String line;
            try {
                line = Utf8.decode(lines.bytes(), lines.length());
            } catch (Utf8.BadBytes e) {
                tally.bad(new MalformedInputException(display, lines.number(), e.column, "invalid UTF-8", true));
                continue;
            }
            if (!wholeFile && line.isBlank()) {
                if (open) {
                    tally.accept(Document.text(doc.toString(), display + ":" + docLine));
                    doc.setLength(0);
                    open = false;
                }
                continue;
            }
            if (open) {
                doc.append('\n');
            } else {
                docLine = lines.number();
                open = true;
            }
            doc.append(line);
        }
        if (open && !doc.toString().isBlank()) {
            tally.accept(Document.text(doc.toString(), display + ":" + docLine));
        }
    }

    /** The document a JSON object holds: its text field, or its prompt and response; null if neither. */
    private static Document document(JsonNode node, ReadOptions options, String origin) {
        if (!node.isObject()) {
            return null;
        }
        JsonNode text = node.get(options.field());
        if (text != null && text.isTextual()) {
            return Document.text(text.asText(), origin);
        }
        JsonNode prompt = node.get(options.promptField());
        JsonNode response = node.get(options.responseField());
        if (prompt != null && prompt.isTextual() && response != null && response.isTextual()) {
            return Document.pair(prompt.asText(), response.asText(), origin);
        }
        return null;
    }

    private static String missing(ReadOptions o) {
        return "expected an object with a string field \"" + o.field() + "\" (or \"" + o.promptField() + "\" and \""
                + o.responseField() + "\")";
    }

    /**
     * Jackson's reason without its parts meant for programmers: where the input came from (already
     * in our {@code file:line:column}) and which setting holds a limit.
     */
    static String reason(JsonProcessingException e, String unit) {
        if (e instanceof JsonEOFException eof) {
            return "unexpected end of the " + unit + " inside " + inside(eof);
        }
        String m = SOURCE.matcher(e.getOriginalMessage()).replaceAll("");
        return SETTING.matcher(m).replaceAll("").strip();
    }

    private static String inside(JsonEOFException e) {
        if (e.getTokenBeingDecoded() == JsonToken.VALUE_STRING) {
            return "a string";
        }
        if (e.getTokenBeingDecoded() == JsonToken.FIELD_NAME) {
            return "a field name";
        }
        boolean array = e.getProcessor() != null && e.getProcessor().getParsingContext().inArray();
        return array ? "an array" : "an object";
    }

    private static MalformedInputException malformed(String display, JsonLocation at, String reason) {
        long line = at == null ? 0 : at.getLineNr();
        long col = at == null ? 0 : at.getColumnNr();
        return new MalformedInputException(display, line, col, reason);
    }
}

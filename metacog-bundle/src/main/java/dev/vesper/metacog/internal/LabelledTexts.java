package dev.vesper.metacog.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.metacog.Assessment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts labelled with their errors, read from a JSON Lines file: one object per line,
 * {@code {"text": "...", "error": "factual" | "logical" | "incomplete" | "none"}}. A malformed line
 * is refused with the file and line, rather than skipped: a labelled set is small, and every label
 * counts.
 */
public final class LabelledTexts {
    /** The label of a text without error. */
    static final String NONE = "none";
    /** {@link LabelledText#label()} of a text without error; 0 to 2 are {@link Assessment#ERROR_CLASSES}. */
    static final int CLEAN = Assessment.ERROR_CLASSES.length;
    /** Two objects on one line would otherwise lose the second one's label without a word. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** One text and its label, with the line it came from. */
    public record LabelledText(String text, int label, long line) {
    }

    private LabelledTexts() {
    }

    /** @throws IOException naming the file, and the line at fault */
    public static List<LabelledText> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("error labels: " + file + " is a folder; name a JSON Lines file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("error labels: no file " + file);
        }
        List<LabelledText> texts = new ArrayList<>();
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (n == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                    line = line.substring(1);   // as some editors save UTF-8
                }
                if (!line.isBlank()) {
                    texts.add(parse(line, file, n));
                }
            }
        } catch (CharacterCodingException e) {
            throw new IOException(file + ":" + (n + 1) + ": not UTF-8 text", e);
        }
        if (texts.isEmpty()) {
            throw new IOException(file + ": no labelled texts; expected lines such as "
                    + "{\"text\": \"The sun is cold.\", \"error\": \"factual\"}");
        }
        return texts;
    }

    private static LabelledText parse(String line, Path file, long n) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException(file + ":" + n + ":" + (at == null ? 1 : Math.max(1, at.getColumnNr())) + ": "
                    + reason(e));
        }
        JsonNode text = node.isObject() ? node.get("text") : null;
        JsonNode error = node.isObject() ? node.get("error") : null;
        if (text == null || !text.isTextual() || error == null || !error.isTextual()) {
            throw new IOException(file + ":" + n + ": expected an object with string fields \"text\" and \"error\"");
        }
        if (text.asText().isBlank()) {
            throw new IOException(file + ":" + n + ": the text is empty");
        }
        return new LabelledText(text.asText(), label(error.asText(), file, n), n);
    }

    /** Jackson's first sentence, without where its input came from (the file and line say that). */
    private static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
        int marker = m.indexOf(" (start marker");
        return marker > 0 ? m.substring(0, marker) : m;
    }

    private static int label(String error, Path file, long n) throws IOException {
        for (int c = 0; c < Assessment.ERROR_CLASSES.length; c++) {
            if (Assessment.ERROR_CLASSES[c].equals(error)) {
                return c;
            }
        }
        if (NONE.equals(error)) {
            return CLEAN;
        }
        throw new IOException(file + ":" + n + ": \"error\" is '" + error + "'; expected "
                + String.join(", ", Assessment.ERROR_CLASSES) + " or " + NONE);
    }
}

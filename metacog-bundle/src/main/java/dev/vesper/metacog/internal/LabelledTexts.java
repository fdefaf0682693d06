package dev.vesper.metacog.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.metacog.Assessment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts labelled with their errors, read from a JSON Lines file: one object per line,
 * {@code {"text": "...", "error": "factual" | "logical" | "incomplete" | "none"}}. A malformed line
 * is refused with the file and line, rather than skipped: a labelled set is small, and every label
 * counts.
 */
final class LabelledTexts {
    /** The label of a text without error. */
    static final String NONE = "none";
    /** {@link LabelledText#label()} of a text without error; 0 to 2 are {@link Assessment#ERROR_CLASSES}. */
    static final int CLEAN = Assessment.ERROR_CLASSES.length;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One text and its label, with the line it came from. */
    record LabelledText(String text, int label, long line) {
    }

    private LabelledTexts() {
    }

    static List<LabelledText> read(Path file) throws IOException {
        List<LabelledText> texts = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            long n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (!line.isBlank()) {
                    texts.add(parse(line, file, n));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("error labels: no file " + file, e);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
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
            String reason = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
            throw new IOException(file + ":" + n + ":" + (at == null ? 1 : Math.max(1, at.getColumnNr())) + ": "
                    + reason);
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

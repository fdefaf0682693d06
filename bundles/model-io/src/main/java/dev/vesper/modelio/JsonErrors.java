package dev.vesper.modelio;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in the user's terms: where in the text (line and column) and what, without the
 * parser's own notes on its input source, which name a setting of Jackson's rather than the file.
 */
final class JsonErrors {
    private static final Pattern START_MARKER =
            Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");

    private JsonErrors() {
    }

    /** {@code line 1, column 12: Unexpected end-of-input: expected close marker for Array (opened at line 1, column 7)}. */
    static String describe(JsonProcessingException e) {
        String what = START_MARKER.matcher(String.valueOf(e.getOriginalMessage()))
                .replaceAll(" (opened at line $1, column $2)");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? what : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
    }
}

package dev.vesper.modelio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
    private static String describe(String text) {
        return JsonErrors.describe(assertThrows(JsonProcessingException.class, () -> new ObjectMapper().readTree(text)));
    }

    @Test
    void saysWhereAndWhatWithoutTheParsersNotesOnItsSource() {
        assertEquals("line 2, column 11: Unexpected end-of-input: expected close marker for Array (opened at line 2,"
                + " column 6)", describe("{\n\"a\": [1, 2"));
        assertEquals("line 1, column 7: Unexpected character ('}' (code 125)): expected a valid value (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false')", describe("{\"a\": }"));
    }
}

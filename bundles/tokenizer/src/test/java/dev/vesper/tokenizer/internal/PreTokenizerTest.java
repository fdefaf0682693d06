package dev.vesper.tokenizer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.tokenizer.TestTexts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {
    /** The GPT-2 pattern with \s spelled as Unicode White_Space, as the reference. */
    private static final String WS = "[\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]";
    private static final Pattern GPT2 = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^"
            + WS.substring(1, WS.length() - 1) + "\\p{L}\\p{N}]+|" + WS + "+(?![^" + WS.substring(1, WS.length() - 1)
            + "])|" + WS + "+");

    private static List<String> scanner(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        PreTokenizer.split(b, 0, b.length, (x, f, t) -> out.add(new String(x, f, t - f, StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> regex(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void matchesTheGpt2PatternOnVariedText() throws Exception {
        for (String t : TestTexts.varied()) {
            assertEquals(regex(t), scanner(t), () -> "pre-tokens of " + t);
        }
        String shakespeare = TestTexts.shakespeare().substring(0, 50_000);
        assertEquals(regex(shakespeare), scanner(shakespeare));
    }

    @Test
    void splitsContractionsAndSpacesLikeGpt2() {
        assertEquals(List.of("Hello", ",", " world", "'s", "  ", " end", "\n\n"), scanner("Hello, world's   end\n\n"));
        assertEquals(List.of(" '", "s", "?'", "t"), scanner(" 's?'t"));
    }

    @Test
    void invalidBytesStandAloneAndCoverTheInput() {
        byte[] b = {'a', (byte) 0xFF, (byte) 0xC3, 'b', (byte) 0xE2, (byte) 0x82, ' ', 'c'};
        List<int[]> ranges = new ArrayList<>();
        PreTokenizer.split(b, 0, b.length, (x, f, t) -> ranges.add(new int[] {f, t}));
        int pos = 0;
        for (int[] r : ranges) {
            assertEquals(pos, r[0]);
            pos = r[1];
        }
        assertEquals(b.length, pos);
    }
}

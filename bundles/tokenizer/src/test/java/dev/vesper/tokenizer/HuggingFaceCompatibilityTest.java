package dev.vesper.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.vesper.api.data.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves compatibility against the real Hugging Face tokenizers library (Rust, through DJL's JNI
 * binding and its jar-bundled native library): from the same tokenizer.json, the same ids.
 */
class HuggingFaceCompatibilityTest {
    private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "modelMaxLength", "100000000");
    private final BpeTokenizerFactory factory = new BpeTokenizerFactory();

    @Test
    void vesperTrainedTokenizerGivesTheSameIds() throws Exception {
        String text = TestTexts.shakespeare();
        Tokenizer vesper = factory.trainBpe(List.of(text.substring(0, 400_000).split("\n\n")), 2048,
                List.of("<|endoftext|>"));
        compare(vesper, corpus(text));
    }

    /**
     * handwritten-tokenizer.json was written outside Vesper (a few lines of Python): the 256-symbol
     * byte alphabet in GPT-2's order (printable bytes first, unlike Vesper's byte order), 36
     * hand-picked merges in the pairs format, a ByteLevel post-processor, and an added token
     * ({@code <|pad|>}) that is not in the model vocabulary.
     */
    @Test
    void handWrittenTokenizerGivesTheSameIds() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/handwritten-tokenizer.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Tokenizer vesper = factory.fromJson(json, "handwritten-tokenizer.json");
        assertEquals(294, vesper.vocabSize());
        compare(vesper, corpus(TestTexts.shakespeare()));
        // and Vesper's own rewrite of that file reads the same in Hugging Face
        compare(factory.fromJson(vesper.toJson(), "rewritten"), corpus(TestTexts.shakespeare()));
    }

    @Test
    void preTokenizerAndModelSwitchesGiveTheSameIds() throws Exception {
        String json = handWritten();
        String prefix = json.replace("\"add_prefix_space\": false", "\"add_prefix_space\": true");
        String noRegex = json.replace("\"use_regex\": true", "\"use_regex\": false");
        String ignoreMerges = json.replace("\"ignore_merges\": false", "\"ignore_merges\": true");
        for (String variant : List.of(prefix, noRegex, ignoreMerges)) {
            assertEquals(false, variant.equals(json), "the variant differs from the original");
            compareRaw(variant, factory.fromJson(variant, "variant"), TestTexts.varied());
        }
    }

    private String handWritten() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/handwritten-tokenizer.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void byteTokenizerGivesTheSameIds() throws Exception {
        compare(factory.bytes(List.of("<|endoftext|>")), TestTexts.varied());
    }

    private static List<String> corpus(String shakespeare) {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        for (int i = 0; i < 40; i++) {
            int from = 400_000 + i * 15_000;
            texts.add(shakespeare.substring(from, from + 2_000));
        }
        texts.add(shakespeare.substring(900_000, 1_000_000));
        return texts;
    }

    private static void compare(Tokenizer vesper, List<String> texts) throws Exception {
        compareRaw(vesper.toJson(), vesper, texts);
    }

    /** Hugging Face reads {@code jsonText}; Vesper's tokenizer must give the same ids. */
    private static void compareRaw(String jsonText, Tokenizer vesper, List<String> texts) throws Exception {
        byte[] json = jsonText.getBytes(StandardCharsets.UTF_8);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), OPTIONS)) {
            for (String t : texts) {
                long[] expected = hf.encode(t, false, false).getIds();
                int[] actual = vesper.encode(t);
                long[] widened = new long[actual.length];
                for (int i = 0; i < actual.length; i++) {
                    widened[i] = actual[i];
                }
                assertArrayEquals(expected, widened, () -> "ids differ for: " + abbreviate(t));
                assertEquals(hf.decode(expected, false), vesper.decode(actual), () -> "text differs for: " + abbreviate(t));
            }
        }
    }

    private static String abbreviate(String t) {
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}

package dev.vesper.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The shared corpus and a varied set of texts for round trips and compatibility checks. */
public final class TestTexts {
    private TestTexts() {
    }

    public static String shakespeare() throws IOException {
        String shared = System.getProperty("vesper.shared");
        if (shared == null) {
            throw new IllegalStateException("system property vesper.shared is not set (surefire sets it)");
        }
        Path p = Path.of(shared, "data", "tinyshakespeare.txt");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared corpus missing: " + p.toAbsolutePath());
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Text with the cases that trip tokenizers: contractions, digits, spacing, scripts, emoji, controls. */
    public static List<String> varied() {
        List<String> t = new ArrayList<>();
        t.add("Hello, world! It's a test; isn't it? We'll see: they've, I'm, you'd, we're.");
        t.add("  leading spaces and trailing   ");
        t.add("tabs\tand\nnew\n\nlines\r\n  indented\n\n\n   \n");
        t.add("Numbers: 3.14159, 1,000,000 and 2024-01-01 or ½ ¾ ² Ⅻ and ٣٤٥");
        t.add("Ünïcödé façade — naïve café «quotes» „German“ ‘single’ and … ellipsis");
        t.add("日本語のテキストと中文文本，还有한국어 텍스트。");
        t.add("Emoji: 😀🎉👩‍👩‍👧‍👦 and flags 🇫🇷🇯🇵 plus ZWJ\u200Dthings");
        t.add("Symbols: @#$%^&*()_+-=[]{}|\\:;\"'<>,.?/~` ''' 's 'S 'll 'LL 're 've 'd 'm 't");
        t.add("Ελληνικά και русский текст, עברית ועוד العربية");
        t.add("Mixed\u00A0no-break\u2003em-space\u3000ideographic\u2028line-sep\u0085nel x");
        t.add("<|endoftext|>special in the middle<|endoftext|><|endoftext|> and at the end<|endoftext|>");
        t.add("a" + " ".repeat(40) + "b" + "-".repeat(120) + "c" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        t.add("ROMEO:\nBut, soft! what light through yonder window breaks?\nIt is the east, and Juliet is the sun.");
        t.add("");
        t.add(" ");
        t.add("x");
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 20; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                int kind = r.nextInt(10);
                int cp;
                if (kind < 5) {
                    cp = 0x20 + r.nextInt(0x5F);
                } else if (kind < 7) {
                    cp = " \n\t'".charAt(r.nextInt(4));
                } else if (kind < 9) {
                    cp = 0xA0 + r.nextInt(0x3000);
                } else {
                    cp = 0x1F300 + r.nextInt(0x300);
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 'z';
                }
                sb.appendCodePoint(cp);
            }
            t.add(sb.toString());
        }
        return t;
    }
}

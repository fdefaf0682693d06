package dev.vesper.console;

import dev.vesper.api.data.DataService;
import dev.vesper.api.data.Document;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.ReadSummary;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.data.TokenizerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vesper:data inspect} and {@code vesper:tokenizer train|encode|decode}. */
@Component(service = DataCommands.class, property = {"osgi.command.scope=vesper",
    "osgi.command.function=data", "osgi.command.function=tokenizer"})
public final class DataCommands {
    private static final int SAMPLE_CHARS = 400;

    private final DataService data;
    private final TokenizerFactory tokenizers;

    @Activate
    public DataCommands(@Reference DataService data, @Reference TokenizerFactory tokenizers) {
        this.data = data;
        this.tokenizers = tokenizers;
    }

    @Descriptor("inspect a dataset: 'data inspect <source>' shows documents, tokens, bytes and a sample")
    public Report data(
            @Descriptor("JSON field holding the text") @Parameter(names = "--field", absentValue = "text") String field,
            @Descriptor("count and skip malformed lines instead of failing") @Parameter(names = "--skip-bad-lines", presentValue = "true", absentValue = "false") boolean skipBad,
            @Descriptor("tokenizer.json to count tokens with (default: bytes)") @Parameter(names = "--tokenizer", absentValue = "") String tokenizerPath,
            @Descriptor("inspect <source>: builtin:stories, a file or folder, hf://datasets/...") String... words) {
        return Errors.shown(() -> {
            if (words.length == 0 || !words[0].equals("inspect")) {
                throw new IllegalArgumentException("data: expected 'inspect <source>'"
                        + (words.length == 0 ? "" : ", got '" + words[0] + "'"));
            }
            String source = Words.one("data", "source", java.util.Arrays.copyOfRange(words, 1, words.length));
            Tokenizer tokenizer = tokenizerPath.isBlank() ? tokenizers.bytes(List.of()) : loadTokenizer(tokenizerPath);
            long[] totals = new long[3];
            StringBuilder sample = new StringBuilder();
            ReadSummary summary = data.documents(source, new ReadOptions(field, skipBad), (Document d) -> {
                String text = d.text();
                totals[0]++;
                totals[1] += text.getBytes(StandardCharsets.UTF_8).length;
                totals[2] += tokenizer.encode(text).length;
                if (sample.length() < SAMPLE_CHARS) {
                    sample.append(text, 0, Math.min(text.length(), SAMPLE_CHARS - sample.length())).append(sample.length() < SAMPLE_CHARS ? "\n---\n" : "");
                }
            });
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("documents", totals[0]);
            figures.put("bytes", totals[1]);
            figures.put("tokens", totals[2]);
            figures.put("bad_lines", summary.badLines());
            String text = String.format(Locale.ROOT, "source     %s%ndocuments  %,d%nbytes      %,d%ntokens     %,d (%s)%n",
                    source, totals[0], totals[1], totals[2], tokenizerPath.isBlank() ? "bytes" : tokenizerPath)
                    + (summary.badLines() > 0 ? "bad lines  " + summary.badLines() + " skipped, first: " + summary.firstBadLine() + "\n" : "")
                    + "sample:\n" + sample;
            return new Report(text, figures);
        });
    }

    private static final String DEFAULT_SOURCE = "builtin:stories";
    private static final String DEFAULT_VOCAB = "4096";
    private static final String DEFAULT_OUT = "tokenizer.json";
    private static final String DEFAULT_TOKENIZER = "tokenizer.json";

    @Descriptor("tokenizer train --data <source> [--vocab N] [--out tokenizer.json] | encode --tokenizer <json> <text> | decode --tokenizer <json> <ids>")
    public Object tokenizer(
            @Descriptor("source to train on") @Parameter(names = "--data", absentValue = DEFAULT_SOURCE) String source,
            @Descriptor("vocabulary size, special tokens included") @Parameter(names = "--vocab", absentValue = DEFAULT_VOCAB) String vocabText,
            @Descriptor("where train writes tokenizer.json") @Parameter(names = "--out", absentValue = DEFAULT_OUT) String out,
            @Descriptor("tokenizer.json for encode and decode") @Parameter(names = "--tokenizer", absentValue = DEFAULT_TOKENIZER) String path,
            @Descriptor("train; encode <text>; or decode <ids>") String... words) {
        return Errors.shown(() -> {
            String action = words.length == 0 ? "" : words[0];
            String[] args = Arrays.copyOfRange(words, Math.min(1, words.length), words.length);
            misplaced(action, !source.equals(DEFAULT_SOURCE) || !vocabText.equals(DEFAULT_VOCAB) || !out.equals(DEFAULT_OUT),
                    !path.equals(DEFAULT_TOKENIZER));
            switch (action) {
                case "train" -> {
                    Words.none("tokenizer", args);
                    return train(source, Numbers.whole("--vocab", vocabText), Path.of(out).toAbsolutePath());
                }
                case "encode" -> {
                    String text = Words.text(args);
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException("tokenizer encode: give the text to encode after the options");
                    }
                    return Arrays.stream(loadTokenizer(path).encode(text)).boxed().toList();
                }
                case "decode" -> {
                    return loadTokenizer(path).decode(parseIds(args));
                }
                default -> throw new IllegalArgumentException("tokenizer: expected train, encode or decode"
                        + (action.isEmpty() ? "" : ", got '" + action + "'") + " (see: help vesper:tokenizer)");
            }
        });
    }

    /** Options meant for another action are refused rather than ignored (a value equal to the default passes). */
    private static void misplaced(String action, boolean trainOptions, boolean tokenizerOption) {
        if (trainOptions && (action.equals("encode") || action.equals("decode"))) {
            throw new IllegalArgumentException("tokenizer " + action + ": --data, --vocab and --out are for tokenizer train;"
                    + " " + action + " takes --tokenizer <json>");
        }
        if (tokenizerOption && action.equals("train")) {
            throw new IllegalArgumentException("tokenizer train: --tokenizer is for encode and decode; train writes --out");
        }
    }

    private String train(String source, int vocab, Path out) throws IOException {
        NewFiles.requireFree("--out", out, "file");
        List<String> texts = new ArrayList<>();
        data.documents(source, ReadOptions.defaults(), d -> texts.add(d.text()));
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("--data: " + source + " holds no documents to train a tokenizer on");
        }
        long start = System.nanoTime();
        Tokenizer t = tokenizers.trainBpe(texts, vocab, List.of("<|endoftext|>"));
        double seconds = (System.nanoTime() - start) / 1e9;
        NewFiles.writeNew(out, t.toJson());
        String shortfall = t.vocabSize() < vocab
                ? " (asked for " + vocab + ": the text has no more pairs to merge)" : "";
        return String.format(Locale.ROOT, "trained a %d-token BPE%s on %d document%s of %s in %.1f s: %s",
                t.vocabSize(), shortfall, texts.size(), texts.size() == 1 ? "" : "s", source, seconds, out);
    }

    private Tokenizer loadTokenizer(String path) throws IOException {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no tokenizer file " + p.toAbsolutePath());
        }
        return tokenizers.fromJson(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    }

    private static int[] parseIds(String[] args) {
        List<Integer> ids = new ArrayList<>();
        for (String a : args) {
            for (String part : a.replace("[", " ").replace("]", " ").split("[,\\s]+")) {
                if (!part.isBlank()) {
                    ids.add(TrainOptions.parseInt("decode", part));
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}

package dev.vesper.console;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.metacog.ErrorTraining;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaHeads;
import dev.vesper.api.metacog.MetaScores;
import dev.vesper.api.metacog.MetaTrainingConfig;
import dev.vesper.api.metacog.MetaTrainingResult;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vesper:meta}: the meta head (spec section 6) of the loaded model: train, assess, load, save. */
@Component(service = MetaCommands.class, property = {"osgi.command.scope=vesper", "osgi.command.function=meta"})
public final class MetaCommands {
    /** The file that holds a checkpoint's meta head, beside its model.safetensors. */
    static final String META_FILE = "meta.safetensors";
    private static final String UNTRAINED_ERRORS = "not trained: plain text carries no error labels, so each class"
            + " reads 1/3 (vesper:meta train --labels <file.jsonl> trains them)";

    private final MetaHeads heads;
    private final Autograd autograd;
    private final LoadedModel loaded;

    @Activate
    public MetaCommands(@Reference MetaHeads heads, @Reference Autograd autograd, @Reference LoadedModel loaded) {
        this.heads = heads;
        this.autograd = autograd;
        this.loaded = loaded;
    }

    @Descriptor("the loaded model's meta head: [status] | train [--data D] [--labels F] [--steps N] [--batch N] [--seq N]"
            + " [--lr X] [--seed N] [--out F] | assess <text> | load <file> | save <file>")
    public Object meta(CommandSession session,
            @Descriptor("train: dataset (default builtin:stories)") @Parameter(names = "--data", absentValue = "") String data,
            @Descriptor("train: JSON Lines of texts labelled with their errors, {\"text\": ..., \"error\": \"factual\"|\"logical\"|\"incomplete\"|\"none\"}, to train the error classes on")
            @Parameter(names = "--labels", absentValue = "") String labels,
            @Descriptor("train: steps (default 300)") @Parameter(names = "--steps", absentValue = "") String steps,
            @Descriptor("train: windows per batch (default 8)") @Parameter(names = "--batch", absentValue = "") String batch,
            @Descriptor("train: tokens per window, at most the model's context (default 128)") @Parameter(names = "--seq", absentValue = "") String seq,
            @Descriptor("train: AdamW learning rate (default 0.001)") @Parameter(names = "--lr", absentValue = "") String lr,
            @Descriptor("train: random seed; the model's run seed holds out the same documents (default 1234)") @Parameter(names = "--seed", absentValue = "") String seed,
            @Descriptor("train: also write the head to this new file") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("status (the default), train, assess, load or save") String... args) {
        return Errors.shown(() -> {
            String action = args.length == 0 ? "status" : args[0];
            String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
            Words.noOptions("meta", rest);
            String trainOption = firstGiven(Map.of("--data", data, "--labels", labels, "--steps", steps, "--batch", batch,
                    "--seq", seq, "--lr", lr, "--seed", seed, "--out", out));
            if (trainOption != null && !action.equals("train")) {
                throw new IllegalArgumentException("meta " + action + ": " + trainOption + " applies to meta train only");
            }
            return switch (action) {
                case "status" -> {
                    none("status", rest);
                    yield status();
                }
                case "train" -> {
                    none("train", rest);
                    MetaTrainingConfig defaults = MetaTrainingConfig.of(data.isBlank() ? "builtin:stories" : data);
                    MetaTrainingConfig config = defaults
                            .withSteps(steps.isBlank() ? defaults.steps() : Numbers.positive("--steps", steps))
                            .withBatch(batch.isBlank() ? defaults.batch() : Numbers.positive("--batch", batch))
                            .withSeq(seq.isBlank() ? defaults.seq() : Numbers.positive("--seq", seq))
                            .withLearningRate(lr.isBlank() ? defaults.learningRate() : Numbers.positiveDecimal("--lr", lr))
                            .withSeed(seed.isBlank() ? defaults.seed() : Numbers.wholeLong("--seed", seed))
                            .withErrorLabels(labels.isBlank() ? null : labelFile(labels));
                    yield train(config, out.isBlank() ? null : Path.of(out).toAbsolutePath(), session);
                }
                case "assess" -> assess(Words.text(rest));
                case "load" -> load(Path.of(single("load", rest)).toAbsolutePath());
                case "save" -> save(Path.of(single("save", rest)).toAbsolutePath());
                default -> throw new IllegalArgumentException("meta: expected status, train, assess, load or save, got '"
                        + action + "'");
            };
        });
    }

    /** The first of these options that was given, in the order the command lists them; null when none was. */
    private static String firstGiven(Map<String, String> options) {
        for (String name : List.of("--data", "--labels", "--steps", "--batch", "--seq", "--lr", "--seed", "--out")) {
            if (!options.get(name).isBlank()) {
                return name;
            }
        }
        return null;
    }

    /** The file as named, which the head's metadata then records. */
    private static Path labelFile(String name) {
        Path file = Path.of(name);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("meta train: --labels " + name + " is a folder; name a JSON Lines file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("meta train: --labels " + name + ": no such file");
        }
        return file;
    }

    private static void none(String action, String[] rest) {
        if (rest.length > 0) {
            throw new IllegalArgumentException("meta " + action + ": unexpected '" + String.join(" ", rest) + "'");
        }
    }

    private static String single(String action, String[] rest) {
        if (rest.length != 1) {
            throw new IllegalArgumentException("meta " + action + ": name one file");
        }
        return rest[0];
    }

    private String status() {
        LoadedModel.Entry e = loaded.require();
        return loaded.meta().map(m -> "meta head   " + m.source() + "\nmodel       " + e.source() + "\n" + trained(m.head()))
                .orElse("the loaded model (" + e.source() + ") has no meta head: vesper:meta train makes one,"
                        + " vesper:meta load <file> reads one");
    }

    private static String trained(MetaHead head) {
        String outputs = head.metadata().get("vesper.meta.trained");
        String from = head.metadata().containsKey("vesper.meta.data")
                ? " on " + head.metadata().get("vesper.meta.data") + ", " + head.metadata().get("vesper.meta.steps") + " steps" : "";
        String labels = head.metadata().get("vesper.meta.labels");
        boolean errors = outputs != null && outputs.contains("errors");
        return "trained     " + (outputs == null ? "nothing that its file records" : outputs + from)
                + "\nerror classes " + (!errors ? UNTRAINED_ERRORS
                : "trained" + (labels == null ? "" : " on " + head.metadata().get("vesper.meta.labelled_texts")
                        + " labelled texts of " + labels));
    }

    private Report train(MetaTrainingConfig config, Path out, CommandSession session) throws Exception {
        PrintStream console = session.getConsole();
        LoadedModel.Entry e = loaded.require();
        if (out != null) {
            NewFiles.requireFree("--out", out, "file");
        }
        int context = e.model().config().context();
        if (config.seq() > context) {
            console.println("meta: --seq " + config.seq() + " is cut to the model's context, " + context + " tokens");
        }
        MetaHead head = heads.create(e.model().config().dModel(), config.seed());
        console.println("meta: training a meta head on " + e.source() + "'s hidden states (the model stays as it is), "
                + config.steps() + (config.steps() == 1 ? " step of " : " steps of ") + config.batch() + " × " + Math.min(config.seq(), context)
                + " tokens of " + config.data());
        int every = Math.max(1, config.steps() / 10);
        MetaTrainingResult r;
        try {
            r = heads.train(head, e.model(), e.tokenizer(), config, (step, total, loss) -> {
                Interruption.check("interrupted");
                if (step % every == 0 || step == total) {
                    console.println(String.format(Locale.ROOT, "meta %s %3.0f%% %d/%d  loss %.4f",
                            ProgressLine.bar((double) step / total), 100.0 * step / total, step, total, loss));
                }
            });
        } catch (RuntimeException stopped) {
            if (Errors.interrupted(stopped) || Thread.currentThread().isInterrupted()) {
                // Gogo answers Ctrl-C with its own word only, and draws its prompt at once: say what became of the head
                AbovePrompt.println(session, console, "meta: stopped; no head was attached");
                throw new Errors.CommandFailed("meta: interrupted; no head was attached", stopped);
            }
            throw stopped;
        }
        // printed here rather than returned, so that it shows in a chain such as "load X ; meta train ; generate"
        console.println(scores(r));
        // attached before it is written: a file that cannot be written costs the file, not the training
        loaded.attach(e, head, "trained on " + config.data());
        if (out != null) {
            heads.write(head, out);
            loaded.attach(e, head, out.toString());
        }
        String saved = out != null ? "meta head saved to " + out
                : "meta head attached, not saved: vesper:meta save <file> keeps it";
        return new Report(saved, figures(r));
    }

    static String scores(MetaTrainingResult r) {
        MetaScores b = r.before();
        MetaScores a = r.after();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "trained %d steps (%,d tokens) in %.1f s; scored on %s, %,d positions%n", r.steps(), r.tokens(),
                r.seconds(), r.heldOut(), a.positions()));
        s.append(String.format(Locale.ROOT, "%-26s %8s %8s%n", "", "before", "after"));
        row(s, "confidence loss", b.confidenceLoss(), a.confidenceLoss());
        row(s, "mean confidence", b.meanConfidence(), a.meanConfidence());
        row(s, "top-token accuracy", b.accuracy(), a.accuracy());
        row(s, "calibration error (ECE)", b.calibrationError(), a.calibrationError());
        row(s, "terminate loss", b.terminateLoss(), a.terminateLoss());
        row(s, "terminate at text ends", b.terminateAtEnd(), a.terminateAtEnd());
        row(s, "terminate elsewhere", b.terminateElsewhere(), a.terminateElsewhere());
        s.append(String.format(Locale.ROOT, "(%,d position%s end%s a text)%n", a.endPositions(),
                a.endPositions() == 1 ? "" : "s", a.endPositions() == 1 ? "s" : ""));
        ErrorTraining errors = r.errors();
        if (errors == null) {
            s.append("error classes ").append(UNTRAINED_ERRORS);
            return s.toString();
        }
        s.append(String.format(Locale.ROOT, "error classes: trained on %,d labelled texts; scored on %s%n",
                errors.trainingTexts(), errors.heldOutTexts() > 0
                        ? String.format(Locale.ROOT, "%,d held out (a tenth of each label's, drawn by --seed)",
                                errors.heldOutTexts())
                        : "the same texts (too few to hold some out)"));
        row(s, "error loss", errors.before().loss(), errors.after().loss());
        row(s, "error label agreement", errors.before().agreement(), errors.after().agreement());
        s.append(kept(errors, r.steps()));
        return s.toString();
    }

    private static String kept(ErrorTraining errors, int steps) {
        if (errors.heldOutTexts() == 0) {
            return "(error weights of the last step; no texts held out to choose another)";
        }
        return errors.keptStep() == 0
                ? "(no step read the held-out texts better than the untrained head: its error weights are kept)"
                : "(error weights of step " + errors.keptStep() + " of " + steps + ", the one that read the held-out"
                        + " texts best)";
    }

    private static void row(StringBuilder s, String name, double before, double after) {
        s.append(String.format(Locale.ROOT, "%-26s %8s %8s%n", name, figure(before), figure(after)));
    }

    private static String figure(double v) {
        // a loss that ran away (a learning rate far too high) keeps to the column's 8 characters
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, Math.abs(v) >= 1e4 ? "%.2e" : "%.4f", v);
    }

    private static Map<String, Object> figures(MetaTrainingResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", r.before());
        m.put("after", r.after());
        m.put("steps", r.steps());
        m.put("seconds", r.seconds());
        if (r.errors() != null) {
            m.put("errors", r.errors());
        }
        return m;
    }

    /** The head's reading of each position of {@code text}: after that token, how sure, which errors, whether to stop. */
    private Report assess(String text) {
        loaded.require();
        LoadedModel.Meta meta = loaded.requireMeta("meta assess");
        LoadedModel.Entry e = meta.owner();
        int[] ids = e.tokenizer().encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("meta assess: the text is empty");
        }
        int context = e.model().config().context();
        int[] window = ids.length > context ? Arrays.copyOfRange(ids, ids.length - context, ids.length) : ids;
        List<Assessment> rows = new ArrayList<>();
        int d = e.model().config().dModel();
        try (Graph g = autograd.noGrad()) {
            Tensor h = e.model().hidden(g, IntTensor.wrap(window, 1, window.length));
            for (int t = 0; t < window.length; t++) {
                float[] state = Arrays.copyOfRange(h.data(), h.offset() + t * d, h.offset() + (t + 1) * d);
                rows.add(meta.head().assess(state));
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-16s %10s %8s %8s %10s %9s%n",
                "after token", "confidence", "factual", "logical", "incomplete", "terminate"));
        for (int t = 0; t < window.length; t++) {
            Assessment a = rows.get(t);
            double[] p = a.errorProbabilities();
            s.append(String.format(Locale.ROOT, "%-16s %10.3f %8.3f %8.3f %10.3f %9.3f%n",
                    shown(e.tokenizer(), window[t]), a.confidence(), p[0], p[1], p[2], a.terminate()));
        }
        if (window.length < ids.length) {
            s.append("(the last ").append(context).append(" tokens, the model's context)\n");
        }
        s.append("confidence: how likely the model's top next token is right; terminate: how likely the text ends here");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("assessments", rows);
        return new Report(s.toString(), figures);
    }

    /** A token as text, or as its bytes in hex when it holds only part of a character. */
    private static String shown(dev.vesper.api.data.Tokenizer tokenizer, int id) {
        String text = tokenizer.decode(new int[] {id});
        if (text.indexOf('\uFFFD') < 0) {
            return quoted(text);
        }
        StringBuilder hex = new StringBuilder("<");
        for (byte b : tokenizer.decodeBytes(new int[] {id})) {
            hex.append(hex.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return hex.append('>').toString();
    }

    private static String quoted(String token) {
        String shown = TerminalText.printable(token).replace("\n", "\\n").replace("\t", "\\t");
        return "\"" + (shown.length() > 12 ? shown.substring(0, 12) + "…" : shown) + "\"";
    }

    private String load(Path file) throws Exception {
        LoadedModel.Entry e = loaded.require();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("meta load: " + file + " is a folder; name the meta head file"
                    + (Files.isRegularFile(file.resolve(META_FILE)) ? ", " + file.resolve(META_FILE)
                    : " (vesper:load attaches a checkpoint's " + META_FILE + " by itself)"));
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("meta load: no file " + file);
        }
        MetaHead head = heads.read(file);
        loaded.attach(e, head, file.toString());
        return "attached the meta head " + file + " to " + e.source() + "\n" + trained(head);
    }

    private String save(Path file) throws Exception {
        loaded.require();
        LoadedModel.Meta meta = loaded.requireMeta("meta save");
        NewFiles.requireFree("meta save", file, "file");
        heads.write(meta.head(), file);
        loaded.attach(meta.owner(), meta.head(), file.toString());
        return "meta head saved to " + file;
    }
}

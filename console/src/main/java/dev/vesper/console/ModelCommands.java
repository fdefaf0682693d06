package dev.vesper.console;

import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.api.io.Checkpoint;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaHeads;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.model.SamplingOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Using a model: load, save, generate, chat. */
@Component(service = ModelCommands.class, property = {"osgi.command.scope=vesper",
    "osgi.command.function=load", "osgi.command.function=save", "osgi.command.function=generate",
    "osgi.command.function=chat"})
public final class ModelCommands {
    private final BundleContext context;
    private final LoadedModel loaded;
    private final CheckpointStore store;
    private final ModelFactory models;
    private final TokenizerFactory tokenizers;
    /** Optional: without the metacognition bundle, models load and save without their meta head. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetaHeads heads;

    @Activate
    public ModelCommands(BundleContext context, @Reference LoadedModel loaded, @Reference CheckpointStore store,
                         @Reference ModelFactory models, @Reference TokenizerFactory tokenizers) {
        this.context = context;
        this.loaded = loaded;
        this.store = store;
        this.models = models;
        this.tokenizers = tokenizers;
    }

    @Descriptor("load a checkpoint folder (model.safetensors and tokenizer.json; a meta.safetensors there is attached) for generate and chat")
    public String load(@Descriptor("checkpoint folder") String... words) {
        return Errors.shown(() -> {
            Path path = Path.of(Words.one("load", "checkpoint folder", words)).toAbsolutePath();
            LoadedModel.Entry e = CheckpointModels.load(path, store, models, tokenizers);
            loaded.set(e.model(), e.tokenizer(), e.source());
            return "loaded " + path + ": " + e.model().config() + attachSavedMeta(path) + missingActivation(e);
        });
    }

    /** A checkpoint loads without its activation's bundle, but cannot generate until one provides it. */
    private String missingActivation(LoadedModel.Entry e) {
        String activation = e.model().config().activation();
        List<ServiceEntry> activations = ServiceCatalog.ofKind(context, "Activation");
        if (activation == null || ServiceCatalog.usableNames(activations).contains(activation)) {
            return "";
        }
        String why = ServiceCatalog.whyUnusable(activations, activation);
        return "\nnote: its activation '" + activation + "' is " + (why == null ? "not installed" : "registered but " + why)
                + ", so generate and chat will fail until a bundle provides it (vesper:activations lists those installed)";
    }

    @Descriptor("save the loaded model, its tokenizer and its meta head, if any, as a checkpoint folder")
    public String save(@Descriptor("target folder (must not exist)") String... words) {
        return Errors.shown(() -> {
            Path path = Path.of(Words.one("save", "target folder", words)).toAbsolutePath();
            LoadedModel.Entry e = loaded.require();
            NewFiles.requireFree("save", path, "folder");
            LanguageModel m = e.model();
            store.save(path, new Checkpoint(m.config(), m.weights(false), m.config().hasAdapter() ? m.weights(true) : Map.of(),
                    null, null, e.tokenizer().toJson()));
            return "saved " + e.source() + " to " + path + saveMeta(e, path);
        });
    }

    /** The checkpoint's {@code meta.safetensors}, attached to the model just loaded; what became of it, as a line. */
    private String attachSavedMeta(Path checkpoint) {
        Path file = checkpoint.resolve(MetaCommands.META_FILE);
        if (!Files.isRegularFile(file)) {
            return "";
        }
        MetaHeads h = heads;
        if (h == null) {
            return "\n" + file + " not attached: the metacognition bundle is not running";
        }
        try {
            MetaHead head = h.read(file);
            loaded.attach(loaded.require(), head, file.toString());
            return "\nwith its meta head (" + MetaCommands.META_FILE + ", vesper:meta says more)";
        } catch (Exception e) {
            // the model is loaded all the same; the head is what could not be used
            return "\n" + MetaCommands.META_FILE + " not attached: " + Errors.oneLine(e);
        }
    }

    /** Writes the attached meta head into the new checkpoint folder; what became of it, as a line. */
    private String saveMeta(LoadedModel.Entry e, Path checkpoint) {
        LoadedModel.Meta meta = loaded.meta().filter(m -> m.owner() == e).orElse(null);
        if (meta == null) {
            return "";
        }
        MetaHeads h = heads;
        if (h == null) {
            return "\n(its meta head was not saved: the metacognition bundle is not running)";
        }
        try {
            h.write(meta.head(), checkpoint.resolve(MetaCommands.META_FILE));
            return "\nwith its meta head (" + MetaCommands.META_FILE + ")";
        } catch (Exception x) {
            // the checkpoint itself is whole and in place; only the head is missing from it
            return "\n(its meta head was not saved: " + Errors.oneLine(x) + ")";
        }
    }

    /** The model to sample from, and the meta head's regulator when {@code --regulate} asks for it (else null). */
    private record Regulation(LoadedModel.Entry model, StoppingRegulator regulator) {
    }

    private Regulation regulation(String command, boolean regulate, String minTokens) {
        if (!regulate && !minTokens.isBlank()) {
            throw new IllegalArgumentException(command + ": --min-tokens applies with --regulate only");
        }
        int floor = minTokens.isBlank() ? 8 : Numbers.whole("--min-tokens", minTokens);
        if (floor < 0) {
            throw new IllegalArgumentException("--min-tokens must be >= 0, got " + floor);
        }
        if (!regulate) {
            return new Regulation(loaded.require(), null);
        }
        loaded.require();
        LoadedModel.Meta meta = loaded.requireMeta(command + " --regulate");
        // the model and the head as one pair, though another model may be loaded meanwhile
        return new Regulation(meta.owner(), new StoppingRegulator(meta.head(), floor));
    }

    @Descriptor("continue a prompt with the loaded model, streaming the tokens as they come")
    public Report generate(CommandSession session,
            @Descriptor("sampling temperature (0: greedy)") @Parameter(names = "--temperature", absentValue = "0.8") String temperature,
            @Descriptor("keep the k most likely tokens (0: all)") @Parameter(names = "--top-k", absentValue = "40") String topK,
            @Descriptor("nucleus: keep the smallest set with this probability") @Parameter(names = "--top-p", absentValue = "0.95") String topP,
            @Descriptor("divide the logits of tokens already present by this") @Parameter(names = "--repetition-penalty", absentValue = "1.0") String penalty,
            @Descriptor("tokens to generate at most") @Parameter(names = "--max-tokens", absentValue = "200") String maxTokens,
            @Descriptor("random seed") @Parameter(names = "--seed", absentValue = "0") String seed,
            @Descriptor("let the model's meta head end the text once it is confident (spec section 6)") @Parameter(names = "--regulate", presentValue = "true", absentValue = "false") boolean regulate,
            @Descriptor("with --regulate: tokens before the meta head may end it (default 8)") @Parameter(names = "--min-tokens", absentValue = "") String minTokens,
            @Descriptor("the prompt") String... prompt) {
        return Errors.shown(() -> {
            // a misspelt option reaches the prompt, wherever it stands: far likelier than a prompt holding an
            // option's name ("--" before the prompt lets one through)
            Words.noOptions("generate", prompt);
            SamplingOptions options = asOptions(() -> SamplingOptions.defaults()
                    .withTemperature(Numbers.decimal("--temperature", temperature))
                    .withTopK(Numbers.whole("--top-k", topK)).withTopP(Numbers.decimal("--top-p", topP))
                    .withRepetitionPenalty(Numbers.decimal("--repetition-penalty", penalty))
                    .withMaxTokens(Numbers.whole("--max-tokens", maxTokens)).withSeed(Numbers.wholeLong("--seed", seed)));
            Regulation r = regulation("generate", regulate, minTokens);
            LoadedModel.Entry e = r.model();
            StoppingRegulator regulator = r.regulator();
            if (regulator != null) {
                options = options.withRegulator(regulator);
            }
            String text = GenerationStream.stream(e.model(), e.tokenizer(), Words.text(prompt), options, session.getConsole());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("text", text);
            String note = "";
            if (regulator != null && regulator.stoppedAfter() > 0) {
                figures.put("stopped_after", regulator.stoppedAfter());
                note = String.format(java.util.Locale.ROOT, "(the meta head ended it after %d token%s: confidence %.2f)",
                        regulator.stoppedAfter(), regulator.stoppedAfter() == 1 ? "" : "s", regulator.confidence());
            }
            return new Report(note, figures);
        });
    }

    /**
     * SamplingOptions starts its refusals with the field's name, as its javadoc says ({@code top_k must be >= 0});
     * the command line names its option instead ({@code --top-k must be >= 0}).
     */
    private static SamplingOptions asOptions(java.util.function.Supplier<SamplingOptions> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.matches("[a-z]+(_[a-z]+)* .*")) {
                throw e;
            }
            int space = m.indexOf(' ');
            throw new IllegalArgumentException("--" + m.substring(0, space).replace('_', '-') + m.substring(space), e);
        }
    }

    @Descriptor("chat with the loaded model, turn by turn; an empty line, /bye, Ctrl-D or Ctrl-C at the prompt ends it,"
            + " and Ctrl-C during an answer stops that answer")
    public String chat(CommandSession session,
            @Descriptor("sampling temperature") @Parameter(names = "--temperature", absentValue = "0.8") String temperatureText,
            @Descriptor("tokens per answer at most") @Parameter(names = "--max-tokens", absentValue = "120") String maxTokensText,
            @Descriptor("random seed") @Parameter(names = "--seed", absentValue = "0") String seedText,
            @Descriptor("let the model's meta head end an answer once it is confident (spec section 6)") @Parameter(names = "--regulate", presentValue = "true", absentValue = "false") boolean regulate,
            @Descriptor("with --regulate: tokens before the meta head may end an answer (default 8)") @Parameter(names = "--min-tokens", absentValue = "") String minTokens) {
        return Errors.shown(() -> {
            float temperature = Numbers.decimal("--temperature", temperatureText);
            int maxTokens = Numbers.whole("--max-tokens", maxTokensText);
            long seed = Numbers.wholeLong("--seed", seedText);
            Regulation r = regulation("chat", regulate, minTokens);
            LoadedModel.Entry e = r.model();
            PrintStream out = session.getConsole();
            ChatInput in = ChatInput.of(session);
            // the transcript is cut to the context left after the answer: keep at least half of it for the words
            int context = e.model().config().context();
            int answerRoom = Math.min(maxTokens, context / 2);
            SamplingOptions options = asOptions(() -> SamplingOptions.defaults().withTemperature(temperature)
                    .withMaxTokens(answerRoom).withSeed(seed));
            Chat chat = new Chat(e.model(), e.tokenizer(), r.regulator() == null ? options : options.withRegulator(r.regulator()));
            out.println("Chatting with " + e.source() + ". " + in.howToEnd());
            if (answerRoom < maxTokens) {
                out.println("(answers are cut at " + answerRoom + " tokens, half the model's context of " + context
                        + ", so that the conversation keeps the other half)");
            }
            int turns = 0;
            while (true) {
                String line = in.readLine("you> ");
                if (line == null || line.isBlank() || line.trim().equals("/bye")) {
                    break;
                }
                out.print("vesper> ");
                AtomicBoolean stop = new AtomicBoolean();
                in.answering(() -> stop.set(true), () -> chat.reply(line.trim(), out, stop::get));
                turns++;
            }
            return turns + (turns == 1 ? " turn" : " turns");
        });
    }
}

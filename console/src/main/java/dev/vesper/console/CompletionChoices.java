package dev.vesper.console;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What Tab may offer at one place of a Vesper command line: the value of the option before it, or the
 * command's next positional word. Installed names (optimizers, activations, exporters, presets, jobs)
 * are read from the service registry at each press, so a bundle dropped into {@code deploy/} is offered
 * at once. Knows nothing of JLine: {@link ShellCompletions} turns these into candidates.
 */
final class CompletionChoices {
    /** Words to offer, and whether file and folder names fit here too. */
    record Choices(List<String> words, boolean paths) {
        static final Choices NONE = new Choices(List.of(), false);

        static Choices words(List<String> words) {
            return new Choices(List.copyOf(words), false);
        }

        static Choices withPaths(String... words) {
            return new Choices(List.of(words), true);
        }
    }

    private static final Set<String> JOB_COMMANDS = Set.of("status", "stop", "pause", "resume", "chart");
    private final BundleContext context;

    CompletionChoices(BundleContext context) {
        this.context = context;
    }

    /**
     * @param command the command being typed
     * @param before  the words between the command's name and the word being completed
     */
    Choices at(VesperCommands.Command command, List<String> before) {
        if (!before.isEmpty()) {
            VesperCommands.Option option = command.option(before.get(before.size() - 1));
            if (option != null && option.takesValue()) {
                return forOption(command.name(), before.get(before.size() - 1));
            }
        }
        return forPosition(command.name(), positional(command, before));
    }

    private Choices forOption(String command, String option) {
        return switch (option) {
            case "--optimizer" -> Choices.words(installed("OptimizerFactory"));
            case "--activation" -> Choices.words(installed("Activation"));
            case "--format" -> Choices.words(installed("ModelExporter"));
            case "--model" -> new Choices(presets(), command.equals("train"));
            case "--schedule" -> Choices.words(TrainingConfig.SCHEDULES);
            case "--adapter" -> Choices.words(ModelConfig.ADAPTERS);
            case "--data" -> Choices.withPaths("builtin:stories", "hf://datasets/");
            case "--tokenizer" -> command.equals("train") ? Choices.withPaths("byte", "bpe:") : Choices.withPaths();
            case "--out", "--resume", "--checkpoint" -> Choices.withPaths();
            case "--job" -> Choices.words(jobs());
            default -> Choices.NONE;
        };
    }

    private Choices forPosition(String command, List<String> positional) {
        int at = positional.size();
        String first = at > 0 ? positional.get(0) : "";
        if (JOB_COMMANDS.contains(command)) {
            return at == 0 ? Choices.words(jobs()) : Choices.NONE;
        }
        return switch (command) {
            case "help" -> at == 0 ? Choices.words(List.copyOf(VesperCommands.list(context).keySet())) : Choices.NONE;
            case "use" -> at == 0 ? Choices.words(List.of("optimizer", "activation"))
                    : at == 1 && first.equals("optimizer") ? Choices.words(installed("OptimizerFactory"))
                    : at == 1 && first.equals("activation") ? Choices.words(installed("Activation")) : Choices.NONE;
            case "load", "save", "export" -> at == 0 ? Choices.withPaths() : Choices.NONE;
            case "data" -> at == 0 ? Choices.words(List.of("inspect"))
                    : at == 1 ? Choices.withPaths("builtin:stories", "hf://datasets/") : Choices.NONE;
            case "tokenizer" -> at == 0 ? Choices.words(List.of("train", "encode", "decode")) : Choices.NONE;
            case "meta" -> at == 0 ? Choices.words(List.of("status", "train", "assess", "load", "save"))
                    : at == 1 && (first.equals("load") || first.equals("save")) ? Choices.withPaths() : Choices.NONE;
            default -> Choices.NONE;
        };
    }

    /** The words that are neither options nor an option's value. */
    static List<String> positional(VesperCommands.Command command, List<String> words) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            VesperCommands.Option option = command.option(words.get(i));
            if (option == null) {
                out.add(words.get(i));
            } else if (option.takesValue()) {
                i++;
            }
        }
        return out;
    }

    private List<String> installed(String kind) {
        return ServiceCatalog.usableNames(ServiceCatalog.ofKind(context, kind));
    }

    private List<String> presets() {
        return withService(ModelFactory.class, ModelFactory::presets);
    }

    private List<String> jobs() {
        return withService(TrainingService.class, t -> t.jobs().stream().map(TrainingJob::id).toList());
    }

    private <S> List<String> withService(Class<S> type, Function<S, List<String>> read) {
        ServiceReference<S> ref = context.getServiceReference(type);
        S service = ref == null ? null : context.getService(ref);
        if (service == null) {
            return List.of();
        }
        try {
            return read.apply(service);
        } finally {
            context.ungetService(ref);
        }
    }
}

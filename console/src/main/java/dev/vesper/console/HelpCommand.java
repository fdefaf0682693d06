package dev.vesper.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}: Vesper's commands with what each does, read from their {@code @Descriptor}s, so a
 * command added by any bundle in the {@code vesper} scope is listed too (a bundle that does not import
 * Gogo may set the service property {@code vesper.command.description} instead). {@code help <command>}
 * shows a Vesper command's usage, its words, and its options with their defaults and its flags, read
 * from its {@code @Parameter}s; another scope's command ({@code help felix:lb}) gets Gogo's own help.
 * Gogo's plain list of every scope's command names stays {@code felix:help}.
 */
@Component(service = HelpCommand.class, property = {"osgi.command.scope=vesper", "osgi.command.function=help"})
public final class HelpCommand {
    static final int DESCRIPTION_WIDTH = 88;
    private final BundleContext context;

    @Activate
    public HelpCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list Vesper's commands, or show one command's options: help train")
    public Object help(CommandSession session, @Descriptor("a command, such as train") String... words) {
        return Errors.shown(() -> words.length == 0 ? list() : one(session, words));
    }

    private Object one(CommandSession session, String[] words) throws Exception {
        // the name goes into a command line: a word, not a second statement
        if (words.length > 1 || !words[0].matches("[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?")) {
            throw new IllegalArgumentException("help: name one command, such as help train");
        }
        String name = words[0].startsWith("vesper:") ? words[0].substring("vesper:".length()) : words[0];
        if (name.contains(":")) {
            return session.execute("felix:help " + name);   // another scope's command: Gogo's own help
        }
        Map<String, VesperCommands.Command> commands = VesperCommands.list(context);
        VesperCommands.Command command = commands.get(name);
        if (command == null) {
            String hint = Suggestion.didYouMean(name, commands.keySet());
            throw new IllegalArgumentException("help: unknown command '" + words[0] + "'"
                    + (hint.isEmpty() ? "; help lists the commands" : hint));
        }
        return new Report(usage(command), Map.of("command", name, "options", command.options()));
    }

    /** One command's help: what it does, its words, its options with their defaults, then its flags. */
    static String usage(VesperCommands.Command command) {
        StringBuilder text = new StringBuilder();
        wrap(command.name() + " - " + command.description(), DESCRIPTION_WIDTH).forEach(l -> text.append(l).append('\n'));
        String words = command.words();
        // a short description names the words in the usage line itself: load <checkpoint folder>
        boolean inline = words != null && words.length() <= 24 && !words.matches(".*[;,:(<].*");
        text.append("  usage: ").append(command.name()).append(command.options().isEmpty() ? "" : " [options]")
                .append(words == null ? "" : inline ? " <" + words + ">" : " <words>").append('\n');
        if (words != null && !inline) {
            text.append("  words: ").append(words).append('\n');
        }
        List<VesperCommands.Option> sorted = new ArrayList<>(command.options());
        sorted.sort(java.util.Comparator.comparing(o -> o.names().get(0)));
        int width = sorted.stream().mapToInt(o -> label(o).length()).max().orElse(0) + 3;
        section(text, "options", sorted.stream().filter(VesperCommands.Option::takesValue).toList(), width);
        section(text, "flags", sorted.stream().filter(o -> !o.takesValue()).toList(), width);
        return text.toString().stripTrailing();
    }

    private static void section(StringBuilder text, String title, List<VesperCommands.Option> options, int width) {
        if (options.isEmpty()) {
            return;
        }
        text.append("  ").append(title).append(":\n");
        for (VesperCommands.Option o : options) {
            String what = o.description() + (o.absentValue().isEmpty() ? "" : " (default " + o.absentValue() + ")");
            List<String> lines = wrap(what, DESCRIPTION_WIDTH - width);
            for (int i = 0; i < lines.size(); i++) {
                String left = i == 0 ? label(o) : "";
                text.append("    ").append(left).append(" ".repeat(width - left.length())).append(lines.get(i)).append('\n');
            }
        }
    }

    private static String label(VesperCommands.Option o) {
        return String.join(", ", o.names()) + (o.takesValue() ? " <value>" : "");
    }

    private Report list() {
        Map<String, String> commands = commands();
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder(
                "Vesper commands (help <command> shows its options; felix:help lists every scope's commands):\n");
        commands.forEach((name, what) -> {
            List<String> lines = wrap(what, DESCRIPTION_WIDTH);
            for (int i = 0; i < lines.size(); i++) {
                String first = i == 0 ? name : "";
                text.append("  ").append(first).append(" ".repeat(width - first.length())).append(lines.get(i)).append('\n');
            }
        });
        return new Report(text.toString().stripTrailing(), Map.copyOf(commands));
    }

    /** Lines of at most {@code width} characters, broken at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private Map<String, String> commands() {
        Map<String, String> out = new TreeMap<>();
        VesperCommands.list(context).forEach((name, command) -> out.put(name, command.description()));
        return out;
    }
}

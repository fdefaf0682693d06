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
 * Gogo may set the service property {@code vesper.command.description} instead). {@code help <command>} is
 * Gogo's own help for that command (its options and parameters). Gogo's plain list of every scope's
 * command names stays {@code felix:help}.
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
        if (!name.contains(":") && !commands().containsKey(name)) {
            throw new IllegalArgumentException("help: unknown command '" + words[0] + "'; help lists the commands");
        }
        return session.execute("felix:help " + (name.contains(":") ? name : "vesper:" + name));
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

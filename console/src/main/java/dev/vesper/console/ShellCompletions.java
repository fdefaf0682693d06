package dev.vesper.console;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.apache.felix.gogo.jline.Shell;
import org.jline.builtins.Completers;
import org.jline.builtins.Completers.CompletionData;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.osgi.framework.BundleContext;

/**
 * Fills the interactive shell's completion table (Gogo's {@code .completions}, which JLine's completer
 * reads) with each Vesper command's description and options, and two session functions that JLine
 * calls back: one offers an option only while it is not on the line yet, the other offers the values
 * {@link CompletionChoices} knows for the word being typed. Loaded only in a JLine shell.
 */
final class ShellCompletions {
    static final String VALUES = "__vesper_values";
    static final String ABSENT = "__vesper_absent";
    private static final String TABLE = ".completions";
    private static final String PREFIX = VesperCommands.SCOPE + ":";

    private ShellCompletions() {
    }

    /**
     * Replaces the table's entries for Vesper's commands. {@code displaced} holds what the last install
     * replaced (key to the entries it found there, or null): that is put back first. Returns what this
     * install replaced, for the next one.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> install(CommandSession session, BundleContext context, Map<String, Object> displaced) {
        Map<String, Object> table = (Map<String, Object>) session.get(TABLE);
        displaced.forEach((key, before) -> {
            if (before == null) {
                table.remove(key);
            } else {
                table.put(key, before);
            }
        });
        Map<String, Object> replaced = new HashMap<>();
        VesperCommands.list(context).forEach((name, command) -> {
            List<CompletionData> entries = entries(command);
            replaced.put(PREFIX + name, table.put(PREFIX + name, entries));
            // a bare name runs Vesper's command (VesperFirst), but the shell's completer looks it up
            // through Shell.resolve, which keeps the last scope that has the name: gogo:jobs for jobs
            // without the description: the other scope's command keeps its own beside its name
            String resolved = Shell.resolve(session, name);
            if (resolved.contains(":") && !replaced.containsKey(resolved)) {
                replaced.put(resolved, table.put(resolved, entries.subList(1, entries.size())));
            }
        });
        session.put(ABSENT, absent());
        session.put(VALUES, values(new CompletionChoices(context), () -> VesperCommands.list(context),
                () -> Path.of("").toAbsolutePath()));
        return replaced;
    }

    static List<CompletionData> entries(VesperCommands.Command command) {
        List<CompletionData> out = new ArrayList<>();
        // an entry with only a description is what JLine shows beside the command's name; it comes first
        out.add(new CompletionData(null, command.description(), null, null));
        for (VesperCommands.Option o : command.options()) {
            out.add(new CompletionData(o.names(), o.description(), null, ABSENT + " " + String.join(" ", o.names())));
        }
        out.add(new CompletionData(null, null, VALUES, null));
        return out;
    }

    /** {@code __vesper_absent --steps}: true while no word before the cursor is one of the names. */
    static Function absent() {
        return (session, names) -> {
            if (!(session.get(".commandLine") instanceof ParsedLine line)) {
                return true;
            }
            List<String> typed = line.words().subList(0, line.wordIndex());
            return names.stream().map(String::valueOf).noneMatch(typed::contains);
        };
    }

    /** {@code __vesper_values}: candidates for the word being typed. */
    static Function values(CompletionChoices choices, Supplier<Map<String, VesperCommands.Command>> commands,
                           Supplier<Path> workingDirectory) {
        return (session, arguments) -> {
            if (!(session.get(".commandLine") instanceof ParsedLine line)
                    || !(session.get(".reader") instanceof LineReader reader) || line.wordIndex() < 1) {
                return List.of();
            }
            String name = line.words().get(0);
            name = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
            CompletionChoices.Choices here;
            try {
                VesperCommands.Command command = commands.get().get(name);
                if (command == null) {
                    return List.of();
                }
                here = choices.at(command, line.words().subList(1, line.wordIndex()));
            } catch (IllegalStateException consoleGone) {
                return List.of();   // an updated console puts its own function here at the next command
            }
            List<Candidate> out = new ArrayList<>();
            for (String word : here.words()) {
                // a prefix such as bpe: or hf://datasets/ is finished by hand, so no space after it
                boolean whole = !word.endsWith(":") && !word.endsWith("/");
                out.add(new Candidate(word, word, null, null, null, null, whole));
            }
            if (here.paths()) {
                // the commands resolve paths against the JVM's working directory
                new Completers.FilesCompleter(workingDirectory).complete(reader, line, out);
            }
            return out;
        };
    }
}

package dev.vesper.console;

import java.util.Arrays;
import java.util.Map;

/**
 * Tells a Vesper command line whose last word is an option that takes a value, such as
 * {@code train --steps}. Gogo cannot match such a line to the command at all and answers with
 * "Cannot coerce train(Token) to any of [...]", naming neither the option nor the command's help.
 * Only plain lines are read: one with quotes, pipes, closures or variables is left to Gogo.
 */
final class MissingValue {
    private static final String SPECIAL = "\"'|;&{}()[]$<>\\`";

    private MissingValue() {
    }

    /** What is missing, as one line to show above the prompt, or null when nothing is. */
    static String problem(String line, Map<String, VesperCommands.Command> commands) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.chars().anyMatch(c -> SPECIAL.indexOf(c) >= 0)) {
            return null;
        }
        String[] words = trimmed.split("\\s+");
        String name = VesperCommands.nameIn(words[0]);
        VesperCommands.Command command = name == null ? null : commands.get(name);
        if (command == null || words.length < 2
                || Arrays.asList(words).subList(1, words.length - 1).contains(Words.END_OF_OPTIONS)) {
            return null;
        }
        String last = words[words.length - 1];
        VesperCommands.Option option = command.option(last);
        if (option == null || !option.takesValue()) {
            return null;
        }
        return command.name() + ": " + last + " needs a value (help " + command.name() + " shows the options)";
    }
}

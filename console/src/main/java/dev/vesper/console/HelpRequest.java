package dev.vesper.console;

import java.util.Map;

/**
 * {@code train --help}, what many command-line tools take for their help: read as {@code help train}, in
 * the shell and in a one-command {@code ./vesper train --help}, instead of refusing an unknown option.
 */
final class HelpRequest {
    private HelpRequest() {
    }

    /** {@code help <command>} when {@code line} is a Vesper command whose first option is --help or -h; else null. */
    static String asHelp(String line, Map<String, VesperCommands.Command> commands) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 2 || !(words[1].equals("--help") || words[1].equals("-h"))) {
            return null;
        }
        String name = VesperCommands.nameIn(words[0]);
        return name != null && commands.containsKey(name) ? "help " + name : null;
    }
}

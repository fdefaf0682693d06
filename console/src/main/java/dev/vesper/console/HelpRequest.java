package dev.vesper.console;

import java.util.Map;

/**
 * {@code train --help}, what many command-line tools take for their help: read as {@code help train}, in
 * the shell and in a one-command {@code ./vesper train --help}, instead of refusing an unknown option.
 */
final class HelpRequest {
    private HelpRequest() {
    }

    /**
     * The line with its first command read as {@code help <command>} when that is a Vesper command whose first
     * option is --help or -h; else null. What follows that command, a pipe or the next statement, stays.
     */
    static String asHelp(String line, Map<String, VesperCommands.Command> commands) {
        String stripped = line.strip();
        int end = Statements.firstTopLevel(stripped, ";|");
        String[] words = stripped.substring(0, end).strip().split("\\s+");
        if (words.length < 2 || !(words[1].equals("--help") || words[1].equals("-h"))) {
            return null;
        }
        String name = VesperCommands.nameIn(words[0]);
        if (name == null || !commands.containsKey(name)) {
            return null;
        }
        return "help " + name + (end < stripped.length() ? " " + stripped.substring(end) : "");
    }
}

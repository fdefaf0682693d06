package dev.vesper.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of a command line beyond its options. A command takes them as a trailing vararg, so that a
 * misspelt option or a missing argument reaches the command, which names it, instead of Gogo's coercion,
 * whose "Cannot coerce train(Token, Token) to any of [...]" the interactive shell prints as it is.
 */
final class Words {
    /** How {@code help <command>} describes the trailing words of a command that takes none. */
    static final String OPTIONS_ONLY = "none (any word given is refused)";
    static final String END_OF_OPTIONS = "--";

    private Words() {
    }

    /** A command that takes options only. */
    static void none(String command, String[] words) {
        if (words.length > 0) {
            throw new IllegalArgumentException(command + ": " + unexpected(command, words) + see(command));
        }
    }

    /**
     * Words that are free text (a prompt, a text to assess), where an option can only be a misspelt one.
     * A first word {@code --} lets a text start with a word such as {@code --dash} (see {@link #text}); Gogo still
     * takes the command's own option names wherever they stand.
     */
    static void noOptions(String command, String[] words) {
        if (words.length > 0 && words[0].equals(END_OF_OPTIONS)) {
            return;
        }
        for (String w : words) {
            if (w.startsWith("--") && isOption(w)) {
                throw new IllegalArgumentException(command + ": " + optionProblem(command, w) + see(command));
            }
        }
    }

    /** Free text as typed, without the {@code --} that may end the options before it. */
    static String text(String[] words) {
        int from = words.length > 0 && words[0].equals(END_OF_OPTIONS) ? 1 : 0;
        return String.join(" ", Arrays.copyOfRange(words, from, words.length));
    }

    /** The one word a command takes, such as the folder of {@code load <folder>}. */
    static String one(String command, String what, String[] words) {
        if (words.length == 1 && !isOption(words[0])) {
            return words[0];
        }
        if (words.length == 0) {
            throw new IllegalArgumentException(command + ": name the " + what + see(command));
        }
        if (Arrays.stream(words).anyMatch(Words::isOption)) {
            throw new IllegalArgumentException(command + ": " + unexpected(command, words) + see(command));
        }
        throw new IllegalArgumentException(command + ": expected one " + what + ", got " + words.length + " words: "
                + String.join(" ", words) + " (quote a path that holds spaces)");
    }

    /** The words of a command that takes a fixed number of them, {@code usage} saying which. */
    static String[] exactly(String command, String usage, int count, String[] words) {
        if (Arrays.stream(words).anyMatch(Words::isOption)) {
            throw new IllegalArgumentException(command + ": " + unexpected(command, words) + see(command));
        }
        if (words.length != count) {
            throw new IllegalArgumentException(command + ": expected " + usage + see(command));
        }
        return words;
    }

    private static String unexpected(String command, String[] words) {
        for (String w : words) {
            if (isOption(w)) {
                return optionProblem(command, w);
            }
        }
        return "unexpected argument '" + words[0] + "'";
    }

    /**
     * Gogo fills each option once and hands a repeated one on with the other words, so an option the
     * command declares is one given twice, and any other is unknown. The command's class is the first
     * caller outside this one, so that no call site has to pass it.
     */
    private static String optionProblem(String command, String option) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass).filter(c -> c != Words.class).findFirst().orElse(null));
        if (caller == null) {
            return "unknown option " + option;
        }
        VesperCommands.Command declared = VesperCommands.command(caller, command, null);
        return declared.option(option) != null ? "option " + option + " given twice"
                : "unknown option " + option + hint(option, declared);
    }

    /** The option a misspelt one most likely meant: a near spelling, else the one whose description uses its word. */
    private static String hint(String option, VesperCommands.Command command) {
        List<String> names = new ArrayList<>();
        Map<String, String> described = new LinkedHashMap<>();   // by each option's first name: an alias is no second option
        for (VesperCommands.Option o : command.options()) {
            names.addAll(o.names());
            described.put(o.names().get(0), o.description());
        }
        String near = Suggestion.didYouMean(option, names);
        return near.isEmpty() ? Suggestion.describedBy(option.replaceFirst("^-+", ""), described) : near;
    }

    private static boolean isOption(String word) {
        return word.startsWith("-") && word.length() > 1 && !Character.isDigit(word.charAt(1));
    }

    private static String see(String command) {
        return " (see: help vesper:" + command + ")";
    }
}

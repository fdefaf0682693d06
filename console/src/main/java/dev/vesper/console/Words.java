package dev.vesper.console;

import java.util.Arrays;

/**
 * The words of a command line beyond its options. A command takes them as a trailing vararg, so that a
 * misspelt option or a missing argument reaches the command, which names it, instead of Gogo's coercion,
 * whose "Cannot coerce train(Token, Token) to any of [...]" the interactive shell prints as it is.
 */
final class Words {
    /** How {@code help <command>} describes the trailing words of a command that takes none. */
    static final String OPTIONS_ONLY = "none (any word given is refused)";

    private Words() {
    }

    /** A command that takes options only. */
    static void none(String command, String[] words) {
        if (words.length > 0) {
            throw new IllegalArgumentException(command + ": " + unexpected(words) + see(command));
        }
    }

    /** Words that are free text (a prompt, a text to assess), where an option can only be a misspelt one. */
    static void noOptions(String command, String[] words) {
        for (String w : words) {
            if (w.startsWith("--") && isOption(w)) {
                throw new IllegalArgumentException(command + ": unknown option " + w + see(command));
            }
        }
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
            throw new IllegalArgumentException(command + ": " + unexpected(words) + see(command));
        }
        throw new IllegalArgumentException(command + ": expected one " + what + ", got " + words.length + " words: "
                + String.join(" ", words) + " (quote a path that holds spaces)");
    }

    /** The words of a command that takes a fixed number of them, {@code usage} saying which. */
    static String[] exactly(String command, String usage, int count, String[] words) {
        if (Arrays.stream(words).anyMatch(Words::isOption)) {
            throw new IllegalArgumentException(command + ": " + unexpected(words) + see(command));
        }
        if (words.length != count) {
            throw new IllegalArgumentException(command + ": expected " + usage + see(command));
        }
        return words;
    }

    private static String unexpected(String[] words) {
        for (String w : words) {
            if (isOption(w)) {
                return "unknown option " + w;
            }
        }
        return "unexpected argument '" + words[0] + "'";
    }

    private static boolean isOption(String word) {
        return word.startsWith("-") && word.length() > 1 && !Character.isDigit(word.charAt(1));
    }

    private static String see(String command) {
        return " (see: help vesper:" + command + ")";
    }
}

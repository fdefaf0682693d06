package dev.vesper.console;

import java.util.Map;

/**
 * The defaults that {@code help} shows for options that default to what a configuration object says, not
 * to their {@code @Parameter}'s absent value (left empty so that the command can tell an option not given).
 * Known by the command's class, since listing the commands creates none of them ({@link VesperCommands#list}).
 */
final class OptionDefaults {
    private OptionDefaults() {
    }

    /** Option name ({@code --steps}) to the default that {@code help} shows, for the command {@code function} of {@code type}. */
    static Map<String, String> of(Class<?> type, String function) {
        return type == TrainingCommands.class ? TrainingCommands.optionDefaults(function) : Map.of();
    }
}

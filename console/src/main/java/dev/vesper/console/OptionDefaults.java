package dev.vesper.console;

import java.util.Map;

/**
 * A command whose options default to what a configuration object says, not to their
 * {@code @Parameter}'s absent value (left empty so that the command can tell an option not given),
 * and which tells {@code help} those defaults.
 */
interface OptionDefaults {
    /** Option name ({@code --steps}) to the default that {@code help} shows, for the command {@code function}. */
    Map<String, String> optionDefaults(String function);
}

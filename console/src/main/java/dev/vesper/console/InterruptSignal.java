package dev.vesper.console;

/**
 * Ctrl-C (SIGINT) taken over for a while, where no line editor does it: in {@code bin/vesper chat}, run
 * as one command, the JVM's own handler would end Vesper at once. Reached through {@code sun.misc},
 * which the framework delegates to the JVM; where that is missing, Ctrl-C keeps the JVM's meaning.
 */
final class InterruptSignal {
    private InterruptSignal() {
    }

    /** Runs {@code body} with Ctrl-C calling {@code onInterrupt}, then gives Ctrl-C back to whoever had it. */
    static void during(Runnable onInterrupt, Runnable body) {
        Object previous = install(onInterrupt);
        try {
            body.run();
        } finally {
            if (previous != null) {
                restore(previous);
            }
        }
    }

    private static Object install(Runnable onInterrupt) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> onInterrupt.run());
        } catch (IllegalArgumentException | LinkageError unavailable) {
            return null;   // no SIGINT to take over here (or no sun.misc): Ctrl-C ends the command as before
        }
    }

    private static void restore(Object previous) {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), (sun.misc.SignalHandler) previous);
    }
}

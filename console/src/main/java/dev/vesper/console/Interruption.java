package dev.vesper.console;

/**
 * Ends a long command at the user's Ctrl-C. The shell answers Ctrl-C by interrupting the command's
 * thread and giving the prompt back at once; a loop that never looks at the flag would go on
 * printing over the prompt until it is done. So a command's loop calls {@link #check} between its
 * steps (a token, a training step).
 */
final class Interruption {
    private Interruption() {
    }

    /** @throws Errors.CommandFailed saying {@code what} happened, when the thread has been interrupted */
    static void check(String what) {
        // the flag stays set: whatever the command does next sees it too
        if (Thread.currentThread().isInterrupted()) {
            throw new Errors.CommandFailed(what, null);
        }
    }
}

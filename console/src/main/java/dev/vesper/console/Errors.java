package dev.vesper.console;

import dev.vesper.files.FileErrors;
import java.util.Map;
import java.util.function.Supplier;

/** Turns an exception into the one line a user should read. */
final class Errors {
    private Errors() {
    }

    /** A command's body, which may throw anything. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /**
     * Runs a command's body; a failure leaves as a {@link CommandFailed} that reads as its one line, because the
     * interactive shell prints what an exception's {@code toString()} says (the class name, then the message).
     */
    static <T> T shown(Body<T> body) {
        try {
            return body.run();
        } catch (CommandFailed e) {
            throw e;
        } catch (Exception e) {
            if (interrupted(e)) {
                Thread.currentThread().interrupt();
                throw new CommandFailed("interrupted", e);
            }
            throw new CommandFailed(oneLine(e), e);
        }
    }

    /**
     * Whether Ctrl-C ended it: the shell interrupts the command's thread, and a wait deep in the engine
     * (a parallel kernel's join) may pass that on wrapped in an unchecked exception.
     */
    static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // a socket's read timeout is an InterruptedIOException too, but no one pressed Ctrl-C
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
                    || t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** A command's failure: its message is the whole story, so that is all it prints. */
    static final class CommandFailed extends RuntimeException {
        CommandFailed(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        // a file system exception's message is often its path alone: say what went wrong with it
        String message = t instanceof java.nio.file.FileSystemException f ? FileErrors.describe(f) : t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /**
     * The one line for a failed command line; Gogo's coercion failures name the option left without its value
     * ({@link MissingValue}), or else become a usage hint.
     */
    static String forCommand(String line, Throwable e, Supplier<Map<String, VesperCommands.Command>> commands) {
        String message = oneLine(e);
        if (message.startsWith("Cannot coerce") || message.startsWith("Unable to find a matching function")) {
            String missing = MissingValue.problem(line, commands.get());
            if (missing != null) {
                return missing;
            }
            String command = line.trim().split("\\s+")[0];
            String name = command.contains(":") ? command : "vesper:" + command;
            return "invalid arguments: " + line.trim() + " (see: help " + name + ")";
        }
        return message;
    }
}

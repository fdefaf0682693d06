package dev.vesper.console;

/** Turns an exception into the one line a user should read. */
final class Errors {
    private Errors() {
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** The one line for a failed command line; Gogo's coercion failures become a usage hint. */
    static String forCommand(String line, Throwable e) {
        String message = oneLine(e);
        if (message.startsWith("Cannot coerce") || message.startsWith("Unable to find a matching function")) {
            String command = line.trim().split("\\s+")[0];
            String name = command.contains(":") ? command : "vesper:" + command;
            return "invalid arguments: " + line.trim() + " (see: help " + name + ")";
        }
        return message;
    }
}

package dev.vesper.host;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends {@code java.util.logging} (which some bundles use) where the OSGi log goes: every record
 * from INFO up, and Vesper's own from DEBUG (FINE) up, to {@code log/vesper.log} with the stack of
 * an exception, warnings and errors also to the terminal, one line each. Without it, the JDK's
 * default handler would print INFO records over the interactive prompt.
 */
final class JulLogging {
    /** Held: a logger that nothing references may be collected, and its level with it. */
    private static final Logger VESPER = Logger.getLogger("dev.vesper");

    private JulLogging() {
    }

    static void install(Path home) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        // the stacks a failure's one line leaves out (a plug-in's fault, a bad input) are logged at DEBUG
        VESPER.setLevel(Level.FINE);
        try {
            Path dir = Files.createDirectories(home.resolve("log"));
            OutputStream file = Files.newOutputStream(dir.resolve("vesper.log"), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            root.addHandler(new LineHandler(new PrintStream(file, true, StandardCharsets.UTF_8), Level.FINE, true));
        } catch (IOException e) {
            System.err.println("vesper: no log file under " + home + ": " + e.getMessage());
        }
        root.addHandler(new LineHandler(System.err, Level.WARNING, false));
    }

    /** One line per record: time, level, logger, message, and the exception's message if any; its stack if asked. */
    private static final class LineHandler extends Handler {
        private final PrintStream out;
        private final boolean stacks;

        LineHandler(PrintStream out, Level level, boolean stacks) {
            this.out = out;
            this.stacks = stacks;
            setLevel(level);
        }

        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) {
                return;
            }
            String message = r.getParameters() == null ? r.getMessage()
                    : java.text.MessageFormat.format(r.getMessage(), r.getParameters());
            // one write per line, its end included: the OSGi log's writer appends to the same file
            String line = Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel() + " " + r.getLoggerName() + ": " + message
                    + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")") + System.lineSeparator();
            out.print(stacks && r.getThrown() != null ? line + stackOf(r.getThrown()) : line);
        }

        private static String stackOf(Throwable t) {
            java.io.StringWriter text = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(text));
            return text.toString();
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}

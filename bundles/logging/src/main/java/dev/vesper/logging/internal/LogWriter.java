package dev.vesper.logging.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The runtime's log backend: entries from INFO up go to {@code <vesper.home>/log/vesper.log} (less the framework's
 * routine events, see {@link #worthKeeping}); warnings
 * and errors also go to the terminal, on one line each, so that a failing bundle is seen.
 */
@Component(service = {})
public final class LogWriter implements LogListener {
    private final LogReaderService reader;
    private final Writer file;
    private final PrintStream terminal = System.err;
    /** Entries may still arrive from the log's delivery thread after deactivation. */
    private volatile boolean closed;

    @Activate
    public LogWriter(BundleContext context, @Reference LogReaderService reader) {
        this.reader = reader;
        this.file = open(context.getProperty("vesper.home"));
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() throws IOException {
        reader.removeLogListener(this);
        if (file != null) {
            synchronized (file) {
                closed = true;
                file.close();
            }
        }
    }

    @Override
    public void logged(LogEntry entry) {
        if (!worthKeeping(entry)) {
            return;
        }
        String line = format(entry);
        if (file != null) {
            synchronized (file) {
                if (closed) {
                    return;
                }
                try {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                } catch (IOException e) {
                    terminal.println("[vesper-logging] cannot write the log file: " + e.getMessage());
                }
            }
        }
        if (LogLevel.WARN.implies(entry.getLogLevel())) {
            terminal.println(line);
        }
    }

    /**
     * INFO and up, except the framework's routine events: every service (un)registration and every
     * bundle resolving, starting and stopping, which made up nearly all of the file (some 200 lines
     * per command). Bundles installed, updated and uninstalled stay: that is what deploy/ does.
     */
    static boolean worthKeeping(LogEntry entry) {
        if (!LogLevel.INFO.implies(entry.getLogLevel())) {
            return false;
        }
        if (LogLevel.WARN.implies(entry.getLogLevel())) {
            return true;
        }
        String logger = entry.getLoggerName();
        if (logger != null && logger.startsWith("Events.Service")) {
            return false;
        }
        if (logger != null && logger.startsWith("Events.Bundle")) {
            String message = String.valueOf(entry.getMessage());
            return message.endsWith("INSTALLED") || message.endsWith("UPDATED");
        }
        return true;
    }

    static String format(LogEntry entry) {
        StringBuilder sb = new StringBuilder()
                .append(Instant.ofEpochMilli(entry.getTime())).append(' ')
                .append(entry.getLogLevel()).append(' ')
                .append(entry.getBundle() == null ? "-" : entry.getBundle().getSymbolicName()).append(": ")
                .append(entry.getMessage());
        if (entry.getException() != null) {
            sb.append(" (").append(entry.getException()).append(')');
        }
        return sb.toString();
    }

    private static Writer open(String home) {
        if (home == null) {
            return null;
        }
        try {
            Path dir = Files.createDirectories(Path.of(home, "log"));
            return Files.newBufferedWriter(dir.resolve("vesper.log"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[vesper-logging] no log file under " + home + ": " + e.getMessage());
            return null;
        }
    }
}

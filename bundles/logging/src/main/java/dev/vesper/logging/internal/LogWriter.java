package dev.vesper.logging.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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
 * routine events, see {@link #worthKeeping}), an exception's with its stack trace; warnings
 * and errors also go to the terminal, on one line each, so that a failing bundle is seen (a failing
 * component once, not at every request for its service: see {@link TerminalFilter}).
 */
@Component(service = {})
public final class LogWriter implements LogListener {
    /** What {@link LogEntry#getException()} gives under Felix Log: a copy that keeps no class of the bundle alive. */
    private static final String FELIX_LOG_COPY = "org.apache.felix.log.LogException";
    private final LogReaderService reader;
    private final Writer file;
    private final PrintStream terminal = System.err;
    private final TerminalFilter terminalFilter = new TerminalFilter();
    /** Entries may still arrive from the log's delivery thread after deactivation. */
    private volatile boolean closed;

    private final BundleContext context;

    @Activate
    public LogWriter(BundleContext context, @Reference LogReaderService reader) {
        this.context = context;
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
        // the file has room for the whole trace; the terminal gets the line alone
        String text = entry.getException() == null ? line + '\n' : line + '\n' + stackTrace(entry.getException());
        if (!writeToFile(text)) {
            return;
        }
        if (terminalFilter.shows(entry)) {
            terminal.println(terminalLine(entry, line));
        }
    }

    /** The line itself, or for a plug-in that cannot be resolved, what it lacks in its author's terms. */
    private String terminalLine(LogEntry entry, String line) {
        String causes = entry.getException() == null ? "" : causes(entry.getException());
        String explained = ResolveFailure.explain(causes, pkg -> ResolveFailure.exporters(context, pkg));
        return explained == null ? line : Instant.ofEpochMilli(entry.getTime()) + " " + entry.getLogLevel() + " " + explained;
    }

    /** Appends {@code text} to the file, if there is one; false once the writer is closed. */
    private boolean writeToFile(String text) {
        if (file == null) {
            return true;
        }
        synchronized (file) {
            if (closed) {
                return false;
            }
            try {
                file.write(text);
                file.flush();
            } catch (IOException e) {
                terminal.println("[vesper-logging] cannot write the log file: " + e.getMessage());
            }
            return true;
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
            sb.append(" (").append(causes(entry.getException())).append(')');
        }
        return sb.toString();
    }

    /**
     * The exception and its causes in one phrase, such as {@code InvocationTargetException caused by
     * IllegalStateException: bad option}: the message a plug-in gave is often on a cause, since the
     * framework wraps what a component's constructor or activate method throws.
     */
    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            sb.append(sb.length() == 0 ? "" : " caused by ").append(describe(t));
        }
        return sb.toString();
    }

    /**
     * Simple class name and message. Felix Log hands over a copy of each exception, a {@code LogException} whose
     * message is the original's class name and message: the original's are shown.
     */
    private static String describe(Throwable t) {
        String type = t.getClass().getName();
        String message = t.getMessage();
        if (type.equals(FELIX_LOG_COPY) && message != null) {
            int colon = message.indexOf(": ");
            type = colon < 0 ? message : message.substring(0, colon);
            message = colon < 0 ? null : message.substring(colon + 2);
            message = "null".equals(message) ? null : message;   // the copy spells a missing message "null"
        }
        String name = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);   // a nested class too
        return message == null || message.isBlank() ? name : name + ": " + message.replace('\n', ' ');
    }

    /** The whole trace with its causes, for the file, where there is room for it. */
    static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
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

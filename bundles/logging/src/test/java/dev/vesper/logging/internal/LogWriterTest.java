package dev.vesper.logging.internal;

import static dev.vesper.logging.internal.LogFixtures.context;
import static dev.vesper.logging.internal.LogFixtures.felixCopy;
import static dev.vesper.logging.internal.LogFixtures.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/**
 * What reaches log/vesper.log: the framework's routine events do not, anything of note does; an exception's
 * causes reach the terminal's one line, and its whole trace the file.
 */
class LogWriterTest {
    private static final String MESSAGE = "Error during instantiation of the implementation object";

    private static LogEntry entry(LogLevel level, String logger, String message) {
        return LogFixtures.entry(level, logger, null, message, null);
    }

    /** An error as Felix SCR logs it when a component's constructor throws, from bundle {@code plugin}. */
    private static LogEntry failure(Throwable exception) {
        return LogFixtures.entry(LogLevel.ERROR, "plugin", LogFixtures.bundle("plugin", 36, 0), MESSAGE, exception);
    }

    private static Throwable constructorFailure() {
        return new InvocationTargetException(new IllegalStateException("constructor blew up on purpose"));
    }

    @Test
    void routineFrameworkEventsStayOutAndTheRestGoesIn() {
        assertFalse(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Service.dev.vesper.vesper-data", "ServiceEvent REGISTERED")));
        assertFalse(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Bundle.dev.vesper.vesper-data", "BundleEvent STARTED")));
        assertFalse(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Bundle", "BundleEvent RESOLVED")));
        assertTrue(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Bundle", "BundleEvent INSTALLED")));
        assertTrue(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Bundle", "BundleEvent UNINSTALLED")));
        assertTrue(LogWriter.worthKeeping(entry(LogLevel.INFO, "Events.Framework", "FrameworkEvent STARTED")));
        assertTrue(LogWriter.worthKeeping(entry(LogLevel.INFO, "dev.vesper.cuda", "CUDA backend: no NVIDIA driver")));
        assertTrue(LogWriter.worthKeeping(entry(LogLevel.WARN, "Events.Service", "anything")));
        assertFalse(LogWriter.worthKeeping(entry(LogLevel.DEBUG, "dev.vesper.trainer", "detail")));
    }

    @Test
    void theLineNamesEveryCauseWithItsMessage() throws Exception {
        Throwable copy = felixCopy(constructorFailure());
        // all the line used to say: the plug-in's message was on the cause, which it left out
        assertEquals("org.apache.felix.log.LogException: java.lang.reflect.InvocationTargetException: null", copy.toString());
        assertEquals("1970-01-01T00:00:00Z ERROR plugin: " + MESSAGE
                + " (InvocationTargetException caused by IllegalStateException: constructor blew up on purpose)",
                LogWriter.format(failure(copy)));
        // a cause of the plug-in's own class is copied too, and its name and message read the same
        assertEquals("IllegalArgumentException: bad option caused by PluginFault: lr: not a number",
                LogWriter.causes(felixCopy(new IllegalArgumentException("bad option", new PluginFault("lr: not a number")))));
        assertEquals("UncheckedIOException: disk full caused by IOException: disk\nfull".replace('\n', ' '),
                LogWriter.causes(new java.io.UncheckedIOException("disk full", new IOException("disk\nfull"))),
                "without Felix Log, and on one line");
    }

    @Test
    void theFileHasTheWholeTraceAndTheTerminalOneLine(@TempDir Path home) throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        try {
            LogWriter writer = new LogWriter(context(home), reader());
            writer.logged(failure(felixCopy(constructorFailure())));
            writer.deactivate();
        } finally {
            System.setErr(err);
        }
        String line = "ERROR plugin: " + MESSAGE
                + " (InvocationTargetException caused by IllegalStateException: constructor blew up on purpose)\n";
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(shown.endsWith(line) && shown.lines().count() == 1, shown);
        String file = Files.readString(home.resolve("log/vesper.log"));
        assertTrue(file.contains(line), file);
        assertTrue(file.contains("\nCaused by: java.lang.IllegalStateException: constructor blew up on purpose\n"), file);
        assertTrue(file.contains("\tat dev.vesper.logging.internal.LogWriterTest.constructorFailure("), file);
    }

    /** A plug-in's own exception class, which Felix Log does not keep. */
    private static final class PluginFault extends RuntimeException {
        PluginFault(String message) {
            super(message);
        }
    }

}

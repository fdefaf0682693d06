package dev.vesper.logging.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** What reaches log/vesper.log: the framework's routine events do not, anything of note does. */
class LogWriterTest {
    private static LogEntry entry(LogLevel level, String logger, String message) {
        return (LogEntry) Proxy.newProxyInstance(LogEntry.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLogLevel" -> level;
                    case "getLoggerName" -> logger;
                    case "getMessage" -> message;
                    default -> throw new AssertionError(method.getName() + " is not consulted");
                });
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
}

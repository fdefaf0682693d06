package dev.vesper.logging.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/** Log entries, bundles and a writer's context as the logging bundle's tests need them; a call they do not expect fails. */
final class LogFixtures {
    private LogFixtures() {
    }

    static LogEntry entry(LogLevel level, String logger, Bundle bundle, String message, Throwable exception) {
        return (LogEntry) Proxy.newProxyInstance(LogEntry.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLogLevel" -> level;
                    case "getLoggerName" -> logger;
                    case "getMessage" -> message;
                    case "getTime" -> 0L;
                    case "getBundle" -> bundle;
                    case "getException" -> exception;
                    default -> throw new AssertionError(method.getName() + " is not consulted");
                });
    }

    /**
     * A bundle in one revision: another call, even with the same id, stands for the bundle updated (a new
     * revision); {@code lastModified} is what Felix reports, and may move without an update.
     */
    static Bundle bundle(String symbolicName, long id, long lastModified) {
        return bundle(symbolicName, id, new java.util.concurrent.atomic.AtomicLong(lastModified));
    }

    /** A bundle that {@code uninstalled} turns into one with no revision, and a moved last-modified time. */
    static Bundle bundle(String symbolicName, long id, java.util.concurrent.atomic.AtomicBoolean uninstalled) {
        java.util.concurrent.atomic.AtomicLong lastModified = new java.util.concurrent.atomic.AtomicLong(1000);
        Bundle installed = bundle(symbolicName, id, lastModified);
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLastModified" -> uninstalled.get() ? 2000L : 1000L;
                    case "adapt" -> uninstalled.get() ? null : installed.adapt((Class<?>) args[0]);
                    default -> method.invoke(installed, args);
                });
    }

    static Bundle bundle(String symbolicName, long id, java.util.concurrent.atomic.AtomicLong lastModified) {
        BundleRevision revision = (BundleRevision) Proxy.newProxyInstance(BundleRevision.class.getClassLoader(),
                new Class<?>[] {BundleRevision.class}, (proxy, method, args) -> {
                    throw new AssertionError("BundleRevision." + method.getName() + " is not consulted");
                });
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getBundleId" -> id;
                    case "getLastModified" -> lastModified.get();
                    case "adapt" -> args[0] == BundleRevision.class ? revision : null;
                    default -> throw new AssertionError(method.getName() + " is not consulted");
                });
    }

    /** What Felix Log's LogEntry.getException() gives for {@code thrown}: its LogException copy. */
    static Throwable felixCopy(Throwable thrown) throws Exception {
        Method copy = Class.forName("org.apache.felix.log.LogException").getDeclaredMethod("getException", Throwable.class);
        copy.setAccessible(true);
        return (Throwable) copy.invoke(null, thrown);
    }

    /** A writer's bundle context: it is asked only where Vesper's home is. */
    static BundleContext context(Path home) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && "vesper.home".equals(args[0])) {
                        return home.toString();
                    }
                    throw new AssertionError("unexpected call: BundleContext." + method.getName());
                });
    }

    static LogReaderService reader() {
        return (LogReaderService) Proxy.newProxyInstance(LogReaderService.class.getClassLoader(),
                new Class<?>[] {LogReaderService.class}, (proxy, method, args) -> null);
    }
}

package dev.vesper.logging.internal;

import static dev.vesper.logging.internal.LogFixtures.bundle;
import static dev.vesper.logging.internal.LogFixtures.context;
import static dev.vesper.logging.internal.LogFixtures.entry;
import static dev.vesper.logging.internal.LogFixtures.felixCopy;
import static dev.vesper.logging.internal.LogFixtures.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceException;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/**
 * A plug-in whose component throws in its constructor, as Felix SCR 2.2 and the Felix framework log it:
 * the entries below are those of {@code ./vesper train} with such a jar in deploy/, word for word.
 * The terminal gets the failure once; the file gets every entry.
 */
class TerminalFilterTest {
    private static final String PLUGIN_PREFIX = "bundle acme.exploding:1.0.0 (36)[acme.ExplodingOptimizer(0)] : ";
    private static final String TRAINER_PREFIX =
            "bundle dev.vesper.vesper-trainer:1.0.0.SNAPSHOT (35)[dev.vesper.trainer.TrainerService(39)] : ";
    private static final String INSTANTIATION = "Error during instantiation of the implementation object";
    private static final String MESSAGE = "constructor blew up on purpose";

    private final Bundle plugin = bundle("acme.exploding", 36, 1000);
    private final Bundle trainer = bundle("dev.vesper.vesper-trainer", 35, 500);

    /** SCR, in the plug-in's bundle: the component could not be created, and why. */
    private LogEntry instantiationFailed(Bundle from, String message) throws Exception {
        return entry(LogLevel.ERROR, "acme.ExplodingOptimizer", from, PLUGIN_PREFIX + INSTANTIATION,
                felixCopy(new InvocationTargetException(new IllegalStateException(message))));
    }

    /** SCR, in the trainer's bundle: it tracks the service but got nothing for it. */
    private LogEntry couldNotGet() {
        return entry(LogLevel.WARN, "dev.vesper.trainer.TrainerService", trainer,
                TRAINER_PREFIX + "Could not get service from ref [dev.vesper.api.optim.OptimizerFactory]", null);
    }

    /** SCR, in the trainer's bundle, as Vesper stops: the unbind method gets no service either. */
    private LogEntry unbindWithoutService() {
        return withoutService("Unbind");
    }

    /** SCR, in the trainer's bundle, when the bundle is updated: the bind method gets no service. */
    private LogEntry bindWithoutService() {
        return withoutService("Bind");
    }

    private LogEntry withoutService(String method) {
        return entry(LogLevel.WARN, "dev.vesper.trainer.TrainerService", trainer, TRAINER_PREFIX
                + "DependencyManager : invoke" + method + "Method : Service not available from service registry for"
                + " ServiceReference [dev.vesper.api.optim.OptimizerFactory] for reference Optimizer", null);
    }

    /** The framework, for the trainer that asked: SCR's service factory gave null. */
    private LogEntry factoryReturnedNull() throws Exception {
        return entry(LogLevel.ERROR, "Events.Framework.dev.vesper.vesper-trainer", trainer, "FrameworkEvent ERROR",
                felixCopy(new ServiceException("Service factory returned null. (Component: acme.exploding (0))",
                        ServiceException.FACTORY_ERROR)));
    }

    @Test
    void aComponentThatCannotBeCreatedIsShownOnceAndLoggedEveryTime(@TempDir Path home) throws Exception {
        // the trainer binds the optimizer as the command starts, and unbinds it as Vesper stops
        List<LogEntry> run = List.of(instantiationFailed(plugin, MESSAGE), couldNotGet(), factoryReturnedNull(),
                instantiationFailed(plugin, MESSAGE), factoryReturnedNull(), couldNotGet(), unbindWithoutService());
        String terminal = logged(home, run);
        assertEquals(1, terminal.lines().count(), terminal);
        assertEquals("1970-01-01T00:00:00Z ERROR acme.exploding: " + PLUGIN_PREFIX + INSTANTIATION
                + " (InvocationTargetException caused by IllegalStateException: " + MESSAGE + ")\n", terminal);
        String file = Files.readString(home.resolve("log/vesper.log"));
        assertEquals(2, count(file, INSTANTIATION + " ("), file);
        assertEquals(2, count(file, "Could not get service from ref"), file);
        assertEquals(2, count(file, "FrameworkEvent ERROR (ServiceException: Service factory returned null."), file);
        assertEquals(1, count(file, "invokeUnbindMethod"), file);
        assertEquals(2, count(file, "Caused by: java.lang.IllegalStateException: " + MESSAGE), file);
    }

    @Test
    void aNewFailureIsShown() throws Exception {
        TerminalFilter filter = new TerminalFilter();
        assertTrue(filter.shows(instantiationFailed(plugin, MESSAGE)));
        assertFalse(filter.shows(instantiationFailed(plugin, MESSAGE)), "the same failure again");
        assertTrue(filter.shows(instantiationFailed(plugin, "another reason")), "the same component, another reason");
        assertTrue(filter.shows(entry(LogLevel.ERROR, "acme.OtherOptimizer", plugin,
                "bundle acme.exploding:1.0.0 (36)[acme.OtherOptimizer(1)] : " + INSTANTIATION,
                felixCopy(new InvocationTargetException(new IllegalStateException(MESSAGE))))), "another component");
        assertTrue(filter.shows(instantiationFailed(bundle("acme.exploding", 36, 1000), MESSAGE)),
                "the jar replaced in deploy/ (the same bundle updated, a new revision) fails the same way");
        assertTrue(filter.shows(instantiationFailed(bundle("acme.exploding", 37, 2000), MESSAGE)),
                "the jar removed and dropped in again (a new bundle)");
    }

    @Test
    void theSameFailureReadBeforeAndAfterItsBundleWasUninstalledIsShownOnce() throws Exception {
        // the log is read on its own thread: a report made just before the plug-in is removed may be read after,
        // when Felix has moved its last-modified time and it has no revision any more
        java.util.concurrent.atomic.AtomicBoolean uninstalled = new java.util.concurrent.atomic.AtomicBoolean();
        Bundle removed = LogFixtures.bundle("acme.exploding", 36, uninstalled);
        TerminalFilter filter = new TerminalFilter();
        assertTrue(filter.shows(instantiationFailed(removed, MESSAGE)));
        uninstalled.set(true);
        assertFalse(filter.shows(instantiationFailed(removed, MESSAGE)));
    }

    @Test
    void onlySomeonesEchoOfAFailureItReportsIsLeftOut() throws Exception {
        TerminalFilter filter = new TerminalFilter();
        assertFalse(filter.shows(couldNotGet()));
        assertFalse(filter.shows(unbindWithoutService()));
        assertFalse(filter.shows(bindWithoutService()));
        assertFalse(filter.shows(factoryReturnedNull()));
        // a plain service factory (no DS component) that throws: the framework's line is the only one with why
        LogEntry factoryThrew = entry(LogLevel.ERROR, "Events.Framework.acme.plain", plugin, "FrameworkEvent ERROR",
                felixCopy(new ServiceException("Service factory exception: boom", ServiceException.FACTORY_EXCEPTION,
                        new IllegalStateException("boom"))));
        assertTrue(filter.shows(factoryThrew));
        // SCR's other warnings (each new one), and anyone else's (each time)
        LogEntry required = entry(LogLevel.WARN, "dev.vesper.trainer.TrainerService", trainer,
                TRAINER_PREFIX + "Could not get required dependency for dependency manager: Optimizer", null);
        assertTrue(filter.shows(required));
        LogEntry waiting = entry(LogLevel.WARN, "dev.vesper.trainer", trainer,
                "job 1: optimizer 'lion' is not available: waiting for a bundle that provides it", null);
        assertTrue(filter.shows(waiting));
        assertTrue(filter.shows(waiting), "a warning of Vesper's own, again: it may be news each time");
        assertFalse(filter.shows(entry(LogLevel.INFO, "dev.vesper.cuda", null, "CUDA backend: not in use", null)));
    }

    private static long count(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    /** What the terminal shows when {@code entries} are logged, and the file they are written to under {@code home}. */
    private static String logged(Path home, List<LogEntry> entries) throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        try {
            LogWriter writer = new LogWriter(context(home), reader());
            entries.forEach(writer::logged);
            writer.deactivate();
        } finally {
            System.setErr(err);
        }
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPluginThatCannotBeResolvedIsShownOnceForEachOfItsRevisions() throws Exception {
        // File Install tries to start it again whenever deploy/ changes, and logs the same failure each time
        TerminalFilter filter = new TerminalFilter();
        Bundle fileInstall = bundle("org.apache.felix.fileinstall", 4, 100);
        String unresolved = "Unable to resolve org.acme.newapi [36](R 36.0): missing requirement [org.acme.newapi [36](R 36.0)]"
                + " osgi.wiring.package; (&(osgi.wiring.package=dev.vesper.api.model)(version>=1.9.0)(!(version>=2.0.0)))";
        LogEntry first = entry(LogLevel.WARN, "org.apache.felix.fileinstall", fileInstall,
                "Error while starting bundle: file:/v/deploy/newapi.jar",
                felixCopy(new org.osgi.framework.BundleException(unresolved, org.osgi.framework.BundleException.RESOLVE_ERROR)));
        assertTrue(filter.shows(first));
        assertFalse(filter.shows(first), "tried again: not news");
        LogEntry replaced = entry(LogLevel.WARN, "org.apache.felix.fileinstall", fileInstall,
                "Error while starting bundle: file:/v/deploy/newapi.jar", felixCopy(new org.osgi.framework.BundleException(
                        unresolved.replace("(R 36.0)", "(R 36.1)"), org.osgi.framework.BundleException.RESOLVE_ERROR)));
        assertTrue(filter.shows(replaced), "the jar replaced by one that fails too");
    }
}

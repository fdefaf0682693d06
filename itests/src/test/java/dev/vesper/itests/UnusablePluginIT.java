package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.itests.plugins.ExplodingOptimizer;
import dev.vesper.itests.plugins.OwnCopyOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Plug-ins that the registry lists but no one can use: one whose component throws in its constructor,
 * and one whose bundle carries its own copy of the API. The listings mark them with the reason, and
 * {@code train} and {@code use}, which the trainer answers "not installed", say it too; the log says
 * what the failing constructor said, the terminal once and the file at every request for the service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnusablePluginIT {
    private static final String SMALL = " --steps 2 --config layers=1,heads=2,d_model=32,context=64 --tokenizer byte"
            + " --batch 2 --seq 32 --eval-every 0 --checkpoint-every 0";
    private static final long TIMEOUT_MS = 60_000;

    @Inject
    private CommandProcessor processor;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void aComponentThatFailsToActivateIsListedAsNotUsableWithWhy() throws Exception {
        Bundle plugin = install(PluginBundles.importing("dev.vesper.itests.exploding", ExplodingOptimizer.class,
                "exploding"), "exploding");
        try {
            String why = "not usable: its component failed to activate (log/vesper.log says why)";
            String listing = run("vesper:optimizers");
            assertTrue(listing, Pattern.compile("\n  exploding +dev\\.vesper\\.itests\\.exploding +1\\.0\\.0 +"
                    + Pattern.quote(why) + "\n").matcher(listing).find());
            assertTrue(listing, Pattern.compile("\n  velvet +dev\\.vesper\\.vesper-optimizer-velvet +\\S+\n")
                    .matcher(listing).find());
            assertFails("vesper:train --optimizer exploding" + SMALL, "--optimizer: 'exploding' is registered but " + why
                    + "; installed: [adamw, velvet]");
            assertFails("vesper:use optimizer exploding", "optimizer 'exploding' is registered but " + why
                    + "; installed: [adamw, velvet]");
            String info = run("vesper:info");
            assertTrue(info, info.contains("exploding") && info.contains(why));
            // what the log says why: the plug-in's own message, on the exception's cause
            String log = Files.readString(logFile());
            assertTrue(log, log.contains("Error during instantiation of the implementation object (InvocationTargetException"
                    + " caused by IllegalStateException: " + ExplodingOptimizer.MESSAGE + ")"));
            assertTrue(log, log.contains("Caused by: java.lang.IllegalStateException: " + ExplodingOptimizer.MESSAGE));
            // DS retries a failed component, and logs the failure again, each time it is got: listing does not get it
            long failures = failuresLogged();
            run("vesper:optimizers");
            run("vesper:info");
            Thread.sleep(1000);   // the log is written on its own thread
            assertEquals("failures logged after listing again", failures, failuresLogged());
        } finally {
            plugin.uninstall();
        }
    }

    @Test
    public void aBundleWithItsOwnCopyOfTheApiIsListedAsNotUsableWithWhy() throws Exception {
        Bundle plugin = install(PluginBundles.embeddingTheApi("dev.vesper.itests.owncopy", OwnCopyOptimizer.class,
                "own-copy"), "own-copy");
        try {
            String why = "not usable: bundle dev.vesper.itests.owncopy carries its own copy of dev.vesper.api.optim;"
                    + " it must import the package instead";
            String listing = run("vesper:optimizers");
            assertTrue(listing, Pattern.compile("\n  own-copy +dev\\.vesper\\.itests\\.owncopy +1\\.0\\.0 +"
                    + Pattern.quote(why) + "\n").matcher(listing).find());
            assertFails("vesper:train --optimizer own-copy" + SMALL, "'own-copy' is registered but " + why);
            assertFails("vesper:use optimizer own-copy", "optimizer 'own-copy' is registered but " + why);
        } finally {
            plugin.uninstall();
        }
    }

    @Test
    public void theTerminalShowsAComponentThatCannotBeCreatedOnceAndTheFileEveryReport() throws Exception {
        String name = "dev.vesper.itests.exploding.terminal";
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        try (Closeable restore = terminalInto(new PrintStream(terminal, true, StandardCharsets.UTF_8))) {
            // the trainer binds it, the console lists it, train asks for it, and the trainer unbinds it
            Bundle plugin = install(PluginBundles.importing(name, ExplodingOptimizer.class, "exploding-too"),
                    "exploding-too");
            run("vesper:optimizers");
            assertFails("vesper:train --optimizer exploding-too" + SMALL, "is registered but not usable");
            plugin.uninstall();
            // the log is written on its own thread, in order: once the plug-in's uninstalling is in the file, the
            // trainer's unbind before it is too, and all has been shown. The unbind's own line would not do: the
            // test that ran before left one in the file
            awaitInLog(name + ": BundleEvent UNINSTALLED");
        }
        String failure = "bundle " + name + ":1.0.0 (";
        try (Stream<String> lines = Files.lines(logFile())) {
            assertTrue("SCR reported the failure at each request", lines.filter(l -> l.contains(failure)
                    && l.contains(ExplodingOptimizer.MESSAGE)).count() >= 2);
        }
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertEquals(shown, 1, shown.lines().filter(l -> l.contains(failure)).count());
        assertTrue(shown, shown.contains(": Error during instantiation of the implementation object"
                + " (InvocationTargetException caused by IllegalStateException: " + ExplodingOptimizer.MESSAGE + ")\n"));
        assertFalse(shown, shown.contains("Could not get service"));
        assertFalse(shown, shown.contains("Service factory returned null"));
        assertFalse(shown, shown.contains("Service not available from service registry"));
    }

    /**
     * Sends what vesper-logging prints on the terminal to {@code terminal} until closed: the logging component takes
     * System.err as it activates, so its bundle is started again on either side.
     */
    private Closeable terminalInto(PrintStream terminal) throws Exception {
        Bundle logging = Arrays.stream(context.getBundles())
                .filter(b -> "dev.vesper.vesper-logging".equals(b.getSymbolicName())).findFirst().orElseThrow();
        PrintStream err = System.err;
        System.setErr(terminal);
        logging.stop();
        logging.start();
        return () -> {
            System.setErr(err);
            try {
                logging.stop();
                logging.start();
            } catch (BundleException e) {
                throw new IOException(e);
            }
        };
    }

    private void awaitInLog(String text) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!Files.readString(logFile()).contains(text) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue("log/vesper.log has: " + text, Files.readString(logFile()).contains(text));
    }

    /** The lines of log/vesper.log that say DS could not create a component. */
    private long failuresLogged() throws Exception {
        try (Stream<String> lines = Files.lines(logFile())) {
            return lines.filter(l -> l.contains("Error during instantiation of the implementation object")).count();
        }
    }

    private Path logFile() {
        return Path.of(context.getProperty("vesper.home"), "log", "vesper.log");
    }

    /** Installs and starts the bundle, and waits for its optimizer to be registered. */
    private Bundle install(File jar, String optimizer) throws Exception {
        Bundle b = context.installBundle(jar.toURI().toString());
        b.start();
        String filter = "(&(objectClass=dev.vesper.api.optim.OptimizerFactory)(vesper.optimizer=" + optimizer + "))";
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (context.getAllServiceReferences(null, filter) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertNotNull(optimizer + " is registered", context.getAllServiceReferences(null, filter));
        return b;
    }

    private void assertFails(String line, String expected) {
        try {
            String text = run(line);
            fail(line + " should fail, printed: " + text);
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            assertTrue(line + " failed with: " + message, message.contains(expected));
            assertFalse(message, message.contains("\n"));
        }
    }

    /** Runs a command line and returns what the shell would print. */
    private String run(String line) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            Object value = session.execute(line);
            if (value != null) {
                out.println(session.format(value, Converter.INSPECT));
            }
            out.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}

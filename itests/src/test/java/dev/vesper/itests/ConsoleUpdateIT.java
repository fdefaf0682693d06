package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A shell session outlives the console bundle: updating it (felix:update, or a new jar) must leave an
 * open session working, with the new console's answers, not the old revision's, which can no longer
 * load its classes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleUpdateIT {
    private static final String CONSOLE = "dev.vesper.vesper-console";
    private static final String TRAIN_COMMAND = "(&(osgi.command.scope=vesper)(osgi.command.function=train))";

    @Inject
    private CommandProcessor processor;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void anOpenSessionKeepsWorkingAfterTheConsoleIsUpdated() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            assertUnknown(session, "trian");
            BundleUpdates.updateAndAwait(context, CONSOLE, TRAIN_COMMAND);
            assertUnknown(session, "trian");
            assertTrue(String.valueOf(session.execute("vesper:optimizers")).contains("adamw"));
        }
    }

    @Test
    public void aCommandWhoseServiceIsGoneSaysWhichOne() throws Exception {
        Bundle trainer = BundleUpdates.bundle(context, "dev.vesper.vesper-trainer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            trainer.stop();
            try {
                session.execute("status");
                fail("status should fail while the trainer is stopped");
            } catch (Exception e) {
                assertEquals("'status' is not available now: it needs TrainingService, which no bundle provides at the"
                        + " moment (lb lists the bundles: start the one that was stopped)", e.toString());
            }
        } finally {
            trainer.start();
        }
    }

    private static void assertUnknown(CommandSession session, String line) {
        try {
            session.execute(line);
            fail(line + " should fail");
        } catch (Exception e) {
            assertEquals("unknown command 'trian'; did you mean train?", e.toString());
        }
    }
}

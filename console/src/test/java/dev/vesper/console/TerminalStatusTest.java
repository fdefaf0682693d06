package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

/** The background job's display on a JLine terminal, with and without a size to draw a status line in. */
class TerminalStatusTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private Terminal terminal(int columns, int rows) throws IOException {
        ExternalTerminal t = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(new byte[0]), screen,
                StandardCharsets.UTF_8);
        t.setSize(new Size(columns, rows));
        return t;
    }

    private static TrainingJob preparingJob() {
        JobStatus status = new JobStatus("7", JobState.PREPARING, 0, 100, 0, Double.NaN, 0, 0, 0, 0, 0, Double.NaN,
                Double.NaN, -1, "adamw", "silu", null);
        return (TrainingJob) Proxy.newProxyInstance(TrainingJob.class.getClassLoader(), new Class<?>[] {TrainingJob.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> "7";
                    case "status" -> status;
                    default -> throw new AssertionError(method.getName() + " is not part of this test");
                });
    }

    private String shown() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSizedTerminalShowsTheJobOnItsStatusLine() throws IOException {
        Terminal t = terminal(100, 20);
        LineReader reader = LineReaderBuilder.builder().terminal(t).build();
        TerminalStatus status = TerminalStatus.attach(t, reader, preparingJob());
        t.flush();
        assertNotNull(status);
        assertTrue(shown().contains("job 7 PREPARING"), shown());
        status.clear();
    }

    /** A pseudo-terminal nobody sized (0 × 0) has no room for a status line: the job still runs, and says how it ended. */
    @Test
    void aTerminalWithoutASizeGetsNoStatusLineButTheEndLineStill() throws IOException {
        Terminal t = terminal(0, 0);
        LineReader reader = LineReaderBuilder.builder().terminal(t).build();
        TerminalStatus status = TerminalStatus.attach(t, reader, preparingJob());
        t.flush();
        assertNotNull(status);
        assertFalse(shown().contains("PREPARING"), shown());
        status.clear();
        status.printAbove("job 7 finished at step 100");
        t.flush();
        assertTrue(shown().contains("job 7 finished at step 100"), shown());
    }
}

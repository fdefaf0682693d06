package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Widget;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

class AcceptLineGuardTest {
    private static final Map<String, VesperCommands.Command> COMMANDS = Map.of("train",
            VesperCommands.command(TrainingCommands.class, "train", null));

    @Test
    void aLineMissingAValueStaysAndAWholeOneIsAccepted() throws Exception {
        LineReader reader = reader();
        AtomicInteger accepted = counting(reader);
        assertNotNull(AcceptLineGuard.install(reader, () -> COMMANDS));
        assertNull(AcceptLineGuard.install(reader, () -> COMMANDS), "one guard per reader");
        reader.getBuffer().write("train --steps");
        reader.getWidgets().get(LineReader.ACCEPT_LINE).apply();
        assertEquals(0, accepted.get());
        reader.getBuffer().write(" 5");
        reader.getWidgets().get(LineReader.ACCEPT_LINE).apply();
        assertEquals(1, accepted.get());
    }

    @Test
    void aCommandsHelpOptionRunsHelpForIt() throws Exception {
        LineReader reader = reader();
        AtomicInteger accepted = counting(reader);
        AcceptLineGuard.install(reader, () -> COMMANDS);
        reader.getBuffer().write("vesper:train --help");
        reader.getWidgets().get(LineReader.ACCEPT_LINE).apply();
        assertEquals(1, accepted.get());
        assertEquals("help train", reader.getBuffer().toString());
    }

    @Test
    void aGuardWhoseConsoleHasGoneLetsEveryLineThrough() throws Exception {
        LineReader reader = reader();
        AtomicInteger accepted = counting(reader);
        AcceptLineGuard.install(reader, () -> {
            throw new IllegalStateException("Invalid BundleContext.");
        });
        reader.getBuffer().write("train --steps");
        assertTrue(reader.getWidgets().get(LineReader.ACCEPT_LINE).apply(), "the shell's Enter must not fail");
        assertEquals(1, accepted.get());
    }

    @Test
    void aRemovedGuardGivesEnterBackSoThatTheNextConsolePutsItsOwn() throws Exception {
        LineReader reader = reader();
        Widget original = reader.getWidgets().get(LineReader.ACCEPT_LINE);
        AcceptLineGuard.Guard first = AcceptLineGuard.install(reader, () -> COMMANDS);
        first.remove();
        assertSame(original, reader.getWidgets().get(LineReader.ACCEPT_LINE));
        AcceptLineGuard.Guard second = AcceptLineGuard.install(reader, () -> COMMANDS);
        assertNotNull(second);
        assertSame(original, second.accept(), "no chain of guards");

        Widget later = () -> true;   // something else put before the guard since: left as it is
        reader.getWidgets().put(LineReader.ACCEPT_LINE, later);
        second.remove();
        assertSame(later, reader.getWidgets().get(LineReader.ACCEPT_LINE));
    }

    private static LineReader reader() throws Exception {
        return LineReaderBuilder.builder().terminal(TerminalBuilder.builder().dumb(true)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build()).build();
    }

    /** Replaces the reader's own Enter (which needs a running readLine) by one that counts. */
    private static AtomicInteger counting(LineReader reader) {
        AtomicInteger count = new AtomicInteger();
        Widget accept = () -> {
            count.incrementAndGet();
            return true;
        };
        reader.getWidgets().put(LineReader.ACCEPT_LINE, accept);
        return count;
    }
}

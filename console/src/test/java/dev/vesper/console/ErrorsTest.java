package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    @Test
    void aFailedCommandReadsAsItsMessageAlone() {
        IllegalArgumentException cause = new IllegalArgumentException("--steps expects a whole number, got 'many'");
        Errors.CommandFailed e = assertThrows(Errors.CommandFailed.class, () -> Errors.shown(() -> {
            throw cause;
        }));
        // the interactive shell prints toString(): no class name in front of the message
        assertEquals("--steps expects a whole number, got 'many'", e.toString());
        assertSame(cause, e.getCause());
    }

    @Test
    void checkedExceptionsAndEmptyMessagesStillSaySomething() {
        Errors.CommandFailed e = assertThrows(Errors.CommandFailed.class, () -> Errors.shown(() -> {
            throw new NoSuchFileException("/tmp/nope.txt", null, "no such file or directory");
        }));
        assertEquals("/tmp/nope.txt: no such file or directory", e.toString());
        e = assertThrows(Errors.CommandFailed.class, () -> Errors.shown(() -> {
            throw new IllegalStateException();
        }));
        assertEquals("IllegalStateException", e.toString());
    }

    @Test
    void aFileSystemErrorWhoseMessageIsItsPathSaysWhatWentWrong() {
        assertEquals("/tmp/ro/.eval-cache: permission denied",
                Errors.oneLine(new java.nio.file.AccessDeniedException("/tmp/ro/.eval-cache")));
    }

    @Test
    void anInterruptKeepsTheThreadInterrupted() {
        assertThrows(Errors.CommandFailed.class, () -> Errors.shown(() -> {
            throw new InterruptedException();
        }));
        assertTrue(Thread.interrupted());
    }

    @Test
    void aResultPassesThrough() {
        assertEquals("ok", Errors.shown(() -> "ok"));
    }

    @Test
    void gogosCoercionFailureNamesTheOptionLeftWithoutAValue() {
        java.util.Map<String, VesperCommands.Command> commands =
                java.util.Map.of("train", VesperCommands.command(TrainingCommands.class, "train", null));
        Exception coerce = new IllegalArgumentException("Cannot coerce train(Token) to any of [(CommandSession, String)]");
        assertEquals("train: --steps needs a value (help train shows the options)",
                Errors.forCommand("train --steps", coerce, () -> commands));
        assertEquals("invalid arguments: train 5 6 7 (see: help vesper:train)",
                Errors.forCommand("train 5 6 7", coerce, () -> commands));
    }
}

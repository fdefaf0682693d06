package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownCommandsTest {
    private static final List<String> COMMANDS = List.of("train", "status", "generate");

    @Test
    void theHintKeepsTheScopeThatWasTyped() {
        assertEquals("unknown command 'trian'; did you mean train?", UnknownCommands.message("trian", COMMANDS));
        assertEquals("unknown command 'vesper:trian'; did you mean vesper:train?",
                UnknownCommands.message("vesper:trian", COMMANDS));
    }

    @Test
    void nothingCloseListsTheCommands() {
        assertEquals("unknown command 'frobnicate'; type help to list the commands",
                UnknownCommands.message("frobnicate", COMMANDS));
    }
}

package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HelpRequestTest {
    private static final Map<String, VesperCommands.Command> COMMANDS = Map.of("train",
            VesperCommands.command(TrainingCommands.class, "train", null));

    @Test
    void aVesperCommandWithHelpFirstAsksForItsHelp() {
        assertEquals("help train", HelpRequest.asHelp("train --help", COMMANDS));
        assertEquals("help train", HelpRequest.asHelp("  vesper:train -h --steps 5", COMMANDS));
    }

    @Test
    void whatFollowsTheCommandStays() {
        assertEquals("help train | grep lr", HelpRequest.asHelp("train --help | grep lr", COMMANDS));
        assertEquals("help train ; status", HelpRequest.asHelp("train -h --steps 5 ; status", COMMANDS));
        assertEquals("help train", HelpRequest.asHelp("train --help --data 'a|b'", COMMANDS), "a quoted | is a word");
    }

    @Test
    void otherLinesAreLeftAlone() {
        assertNull(HelpRequest.asHelp("train", COMMANDS));
        assertNull(HelpRequest.asHelp("train --steps 5 --help", COMMANDS), "only an option standing first");
        assertNull(HelpRequest.asHelp("felix:lb --help", COMMANDS), "another scope's command");
        assertNull(HelpRequest.asHelp("trian --help", COMMANDS), "no such command: the shell says so");
        assertNull(HelpRequest.asHelp("status ; train --help", COMMANDS), "only the line's first command");
    }
}

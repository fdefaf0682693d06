package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MissingValueTest {
    private final Map<String, VesperCommands.Command> commands = Map.of(
            "train", VesperCommands.command(TrainingCommands.class, "train", null),
            "generate", VesperCommands.command(ModelCommands.class, "generate", null));

    @Test
    void anOptionLastOnTheLineWithoutItsValueIsSaid() {
        assertEquals("train: --steps needs a value (help train shows the options)",
                MissingValue.problem("train --steps", commands));
        assertEquals("train: --lr needs a value (help train shows the options)",
                MissingValue.problem("  vesper:train --steps 5 --lr   ", commands));
        assertEquals("generate: --max-tokens needs a value (help generate shows the options)",
                MissingValue.problem("generate Once upon --max-tokens", commands));
    }

    @Test
    void everythingElseIsLeftToTheShell() {
        assertNull(MissingValue.problem("train --steps 5", commands));
        assertNull(MissingValue.problem("train --wait", commands), "a flag takes no value");
        assertNull(MissingValue.problem("generate -- a story about --max-tokens", commands), "text after --");
        assertNull(MissingValue.problem("generate \"Once\" --max-tokens", commands), "quotes: Gogo's to parse");
        assertNull(MissingValue.problem("felix:train --steps", commands), "another scope");
        assertNull(MissingValue.problem("lb | grep --steps", commands));
        assertNull(MissingValue.problem("nosuch --steps", commands));
        assertNull(MissingValue.problem("", commands));
        assertNull(MissingValue.problem("train", commands));
    }
}

package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {
    @Test
    void anEmptyValueGivenIsRefusedWhereLeavingTheOptionOutTakesTheDefault() {
        TrainOptions o = new TrainOptions();
        o.given("--data", TrainOptions.UNSET, o.config()::data);
        assertEquals("builtin:stories", o.config().data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.given("--data", "", o.config()::data));
        assertEquals("--data: the value is empty; leave the option out for its default", e.getMessage());
        o.overrides(TrainOptions.UNSET, o.config()::modelOverride);
        assertEquals(0, o.config().modelOverrides().size());
    }

    @Test
    void aDataFileIsKeptAbsoluteSoThatAResumeFromElsewhereReadsTheSameFile() {
        assertEquals(Path.of("notes.jsonl").toAbsolutePath().normalize().toString(), TrainOptions.location("notes.jsonl"));
        assertEquals(Path.of("/tmp/a/notes.txt").toString(), TrainOptions.location("/tmp/a/../a/notes.txt"));
        assertEquals("builtin:stories", TrainOptions.location("builtin:stories"));
        assertEquals("hf://datasets/owner/name/train.jsonl", TrainOptions.location("hf://datasets/owner/name/train.jsonl"));
    }
}

package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainOptionsTest {
    @Test
    void anEmptyValueGivenIsRefusedWhereLeavingTheOptionOutTakesTheDefault() {
        TrainOptions o = new TrainOptions(true);
        o.text("--data", TrainOptions.UNSET, o.config()::data).path("--resume", TrainOptions.UNSET, o.config()::resume)
                .integer("--steps", TrainOptions.UNSET, o.config()::steps).overrides(TrainOptions.UNSET, o.config()::modelOverride);
        assertEquals("builtin:stories", o.config().data());
        assertEquals(null, o.config().resume());
        assertEquals(0, o.config().modelOverrides().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.text("--data", "", o.config()::data));
        assertEquals("--data: the value is empty; leave the option out for its default", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.path("--resume", " ", o.config()::resume));
        assertEquals("--resume: the value is empty; leave the option out for its default", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.integer("--steps", "", o.config()::steps));
        assertThrows(IllegalArgumentException.class, () -> o.overrides("", o.config()::modelOverride));
    }

    @Test
    void optimizerOptionsArePairsOfTextForTheOptimizerToParse() {
        TrainOptions o = new TrainOptions(true);
        o.pairs("--optimizer-options", "beta2=0.95, weight_decay = 0.01,,features=entropy_adaptive,sparse_aware,"
                + "decay=*.weight,sparse_tau=1e-8", o.config()::optimizerOption);
        assertEquals(java.util.Map.of("beta2", "0.95", "weight_decay", "0.01", "features", "entropy_adaptive,sparse_aware",
                "decay", "*.weight", "sparse_tau", "1e-8"), o.config().optimizerOptions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.pairs("--optimizer-options", "beta2", o.config()::optimizerOption));
        assertEquals("--optimizer-options expects key=value pairs, got 'beta2'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.pairs("--optimizer-options", "", o.config()::optimizerOption));
    }

    @Test
    void outsideStrictModeABlankValueMeansTheDefault() {
        TrainOptions o = new TrainOptions();
        o.text("--data", "", o.config()::data).integer("--steps", " ", o.config()::steps).overrides("", o.config()::modelOverride);
        assertEquals("builtin:stories", o.config().data());
    }

    @Test
    void aDataFileIsKeptAbsoluteSoThatAResumeFromElsewhereReadsTheSameFile() {
        assertEquals(Path.of("notes.jsonl").toAbsolutePath().normalize().toString(), TrainOptions.location("notes.jsonl"));
        assertEquals(Path.of("/tmp/a/notes.txt").toString(), TrainOptions.location("/tmp/a/../a/notes.txt"));
        assertEquals("builtin:stories", TrainOptions.location("builtin:stories"));
        assertEquals("hf://datasets/owner/name/train.jsonl", TrainOptions.location("hf://datasets/owner/name/train.jsonl"));
    }
}

package dev.vesper.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    /** Every field set away from its default, so that a field {@link TrainingConfig#copy} forgets shows. */
    private static TrainingConfig everythingSet() {
        return new TrainingConfig().model("small").modelOverride("dropout", 0.1).optimizer("adamw")
                .optimizerOption("beta1", 0.8).activation("gelu").adapter("flylora").data("notes.txt")
                .tokenizer("byte").dataField("body").skipBadLines(true).steps(7).epochs(2).batch(3).seq(5)
                .accumulate(4).learningRate(0.5).schedule("constant").warmup(9).minLearningRateFraction(0.2)
                .clipNorm(2).evalEvery(11).evalBatches(12).checkpointEvery(13).keepCheckpoints(14)
                .convergenceTolerance(0.3).earlyStopPatience(15).maxBadSteps(16).out(Path.of("out"))
                .resume(Path.of("resume")).seed(17);
    }

    @Test
    void aCopyHasEveryFieldOfTheOriginal() throws IllegalAccessException {
        TrainingConfig original = everythingSet();
        TrainingConfig copy = original.copy();
        TrainingConfig defaults = new TrainingConfig();
        for (Field f : TrainingConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            assertNotEquals(f.get(defaults), f.get(original), f.getName() + " is not set by everythingSet()");
            assertEquals(f.get(original), f.get(copy), f.getName());
        }
    }

    @Test
    void aCopySharesNothingWithItsOriginal() {
        TrainingConfig original = everythingSet();
        TrainingConfig copy = original.copy();
        original.steps(99).modelOverride("dropout", 0.5).optimizerOption("beta2", 0.9);
        assertEquals(7, copy.steps());
        assertEquals(Map.of("dropout", 0.1), copy.modelOverrides());
        assertEquals(Map.of("beta1", 0.8), copy.optimizerOptions());
        assertNotSame(original.modelOverrides(), copy.modelOverrides());
    }

    @Test
    void theWarmupIsTheDefaultUntilSetAndAgainAfterAReset() {
        TrainingConfig c = new TrainingConfig();
        assertFalse(c.warmupSet());
        assertEquals(TrainingConfig.DEFAULT_WARMUP, c.warmup());
        assertTrue(c.warmup(TrainingConfig.DEFAULT_WARMUP).warmupSet(), "set to the default's value is still set");
        assertFalse(c.copy().resetWarmup().warmupSet());
        assertTrue(c.warmupSet(), "the reset was the copy's");
    }

    @Test
    void itKnowsWhichOptionsWereSetEvenToTheirDefaults() {
        TrainingConfig c = new TrainingConfig().learningRate(new TrainingConfig().learningRate()).modelOverride("layers", 2);
        assertEquals(java.util.Set.of("learningRate", "modelOverrides"), c.given());
        assertTrue(c.copy().given().contains("learningRate"));
        assertFalse(c.warmup(3).resetWarmup().given().contains("warmup"));
    }
}

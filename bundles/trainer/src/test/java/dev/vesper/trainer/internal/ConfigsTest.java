package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.TrainingConfig;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConfigsTest {
    @Test
    void defaultsAreValid() {
        Configs.validate(new TrainingConfig());
    }

    @Test
    void aConfigWithoutItsTextsIsRefusedNamingTheOption() {
        bad(c -> c.data(null), "--data");
        bad(c -> c.schedule(null), "--schedule");
        bad(c -> c.tokenizer(null), "--tokenizer");
    }

    @Test
    void eachBadOptionIsNamed() {
        bad(c -> c.batch(0), "--batch");
        bad(c -> c.seq(-1), "--seq");
        bad(c -> c.steps(0), "--steps");
        bad(c -> c.accumulate(0), "--accumulate");
        bad(c -> c.learningRate(Double.NaN), "--lr");
        bad(c -> c.schedule("linear"), "--schedule");
        bad(c -> c.warmup(-1), "--warmup");
        bad(c -> c.evalEvery(-1), "--eval-every");
        bad(c -> c.checkpointEvery(-5), "--checkpoint-every");
        bad(c -> c.adapter("lora"), "--adapter");
        bad(c -> c.tokenizer("bpe:abc"), "--tokenizer");
        bad(c -> c.tokenizer("bpe:100"), "--tokenizer");
        bad(c -> c.tokenizer("/no/such/tokenizer.json"), "--tokenizer");
        bad(c -> c.resume(Path.of("/no/such/checkpoint")), "--resume");
        bad(c -> c.data("/no/such/stories.jsonl"), "--data: no such file or folder: /no/such/stories.jsonl");
        bad(c -> c.keepCheckpoints(0), "keep checkpoints");
        bad(c -> c.maxBadSteps(0), "max bad steps");
    }

    @Test
    void theDefaultWarmupIsCappedAtAThirdOfAShortRunAndAnExplicitOneAtTheRun() {
        TrainingConfig defaults = new TrainingConfig();
        assertEquals(50, defaults.warmup());
        assertEquals(300, defaults.steps());
        assertEquals(50, Configs.warmup(defaults, 300), "the main job's schedule is as it was");
        assertEquals(50, Configs.warmup(defaults, 150), "and so is the tour's 150-step run");
        assertEquals(49, Configs.warmup(defaults, 149));
        assertEquals(6, Configs.warmup(defaults, 20));
        assertEquals(0, Configs.warmup(defaults, 2));
        assertEquals(10, Configs.warmup(new TrainingConfig().warmup(10), 20), "a warmup that was set is kept");
        assertEquals(20, Configs.warmup(new TrainingConfig().warmup(30), 20), "up to the whole run");
        assertEquals(100, Configs.warmup(new TrainingConfig().warmup(100), 3000));
        assertEquals(20, Configs.warmup(new TrainingConfig().warmup(50), 20), "an explicit 50 is not the default");
        assertEquals(6, Configs.warmup(new TrainingConfig().warmup(10).resetWarmup(), 20));
        assertEquals(0, Configs.warmup(new TrainingConfig().schedule("constant"), 300), "a constant rate has none");
    }

    @Test
    void tokenizerSpecs() {
        assertEquals(new TokenizerSpec("byte", 0, null), TokenizerSpec.parse("byte"));
        assertEquals(new TokenizerSpec("bpe", 4096, null), TokenizerSpec.parse("bpe:4096"));
    }

    private static void bad(Consumer<TrainingConfig> change, String option) {
        TrainingConfig c = new TrainingConfig();
        change.accept(c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configs.validate(c));
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }

    @Test
    void aDataPathGivenAbsoluteMatchesTheSameFileKeptRelative() {
        String kept = "data/x.jsonl";
        String absolute = java.nio.file.Path.of(kept).toAbsolutePath().toString();
        assertEquals(kept, Configs.sameFileAs(absolute, kept));
        assertEquals(kept, Configs.sameFileAs("./data/../data/x.jsonl", kept));
        assertEquals("/elsewhere/x.jsonl", Configs.sameFileAs("/elsewhere/x.jsonl", kept));
        assertEquals("builtin:stories", Configs.sameFileAs("builtin:stories", "stories"));
        assertEquals("data/x.jsonl", Configs.sameFileAs("data/x.jsonl", "hf://datasets/a/b"));
    }
}

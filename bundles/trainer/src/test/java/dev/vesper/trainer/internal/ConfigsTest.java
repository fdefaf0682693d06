package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void copyIsIndependentOfTheCallersBuilder() {
        TrainingConfig c = new TrainingConfig().steps(9).optimizerOption("beta1", 0.8).out(Path.of("x"));
        TrainingConfig d = Configs.copy(c);
        c.steps(10).optimizerOption("beta1", 0.7);
        assertEquals(9, d.steps());
        assertEquals(0.8, d.optimizerOptions().get("beta1"));
        assertEquals(Path.of("x"), d.out());
        assertNotSame(c.optimizerOptions(), d.optimizerOptions());
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
}

package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A skipped step (non-finite loss) leaves no trace in the weights, the optimizer or the adapter's state. */
class TrainingStepTest {
    private static final int VOCAB = 64;
    private static final int BATCH = 2;
    private static final int SEQ = 8;

    @Test
    void aSkippedStepThenAStepEqualsTheStepAlone() {
        RealStack stack = new RealStack();
        FaultTest.Unstable unstable = new FaultTest.Unstable();
        stack.activations.put("unstable", unstable);
        ModelConfig config = RealStack.small(VOCAB, 1).with("activation", "unstable").with("adapter", "flylora")
                .with("lora_rank", 8).with("lora_topk", 2);
        LanguageModel skipped = stack.models.create(config, 7);
        LanguageModel direct = stack.models.create(config, 7);
        Optimizer skippedOpt = adamw(stack, skipped);
        Optimizer directOpt = adamw(stack, direct);
        TrainingStep step = new TrainingStep(stack.autograd, BATCH, SEQ, 1, 1.0);

        unstable.armed.set(true);
        TrainingStep.Outcome bad = step.run(skipped, skippedOpt, batch(1), 0, 1e-2);
        unstable.armed.set(false);
        assertFalse(bad.stepped());
        TrainingStep.Outcome after = step.run(skipped, skippedOpt, batch(2), 1, 1e-2);
        TrainingStep.Outcome alone = step.run(direct, directOpt, batch(2), 1, 1e-2);

        assertTrue(after.stepped() && alone.stepped());
        assertEquals(alone.result().loss(), after.result().loss());
        Map<String, Tensor> expected = direct.weights(true);
        Map<String, Tensor> actual = skipped.weights(true);
        assertTrue(expected.keySet().stream().anyMatch(n -> n.endsWith("lora_bias")), expected.keySet().toString());
        for (String name : expected.keySet()) {
            // the expert bias moved by this step's selections only, not the skipped step's too
            assertArrayEquals(expected.get(name).toArray(), actual.get(name).toArray(), name);
        }
        float[] bias = expected.get("layers.0.ffn.w1.lora_bias").toArray();
        assertTrue(java.util.stream.IntStream.range(0, bias.length).anyMatch(i -> bias[i] != 0f),
                "the step moved the expert bias");
    }

    private static Optimizer adamw(RealStack stack, LanguageModel m) {
        return stack.optimizers.get("adamw").create(m.trainableParameters(), Map.of("lr", 1e-2));
    }

    /** The same tokens for the same {@code seed}. */
    private static StepRunner.BatchSource batch(int seed) {
        return (in, tg) -> {
            for (int i = 0; i < in.length; i++) {
                in[i] = (i * 7 + seed * 13) % VOCAB;
                tg[i] = (i * 5 + seed * 3 + 1) % VOCAB;
            }
        };
    }
}

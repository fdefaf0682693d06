package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gradient accumulation: K micro-batches then one step equal one step on the mean loss of all of them. */
class StepRunnerTest {
    private static final int VOCAB = 64;
    private static final int SEQ = 8;
    private static final int ROWS_PER_MICRO = 2;
    private static final int MICRO = 3;

    @Test
    void microBatchesAccumulateTheGradientOfTheMeanLoss() {
        RealStack stack = new RealStack();
        ModelConfig config = RealStack.small(VOCAB, 1);
        int rows = ROWS_PER_MICRO * MICRO;
        int[] inputs = new int[rows * SEQ];
        int[] targets = new int[rows * SEQ];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = r.nextInt(VOCAB);
            targets[i] = r.nextInt(VOCAB);
        }
        targets[5] = StepRunner.IGNORE; // uneven counts: micro-batch 0 has one position fewer

        LanguageModel accumulated = stack.models.create(config, 42);
        LanguageModel whole = stack.models.create(config, 42);
        StepRunner.Result a = new StepRunner(stack.autograd, ROWS_PER_MICRO, SEQ, MICRO)
                .run(accumulated, slices(inputs, targets, ROWS_PER_MICRO * SEQ), 0);
        StepRunner.Result b = new StepRunner(stack.autograd, rows, SEQ, 1)
                .run(whole, slices(inputs, targets, rows * SEQ), 0);

        assertEquals(b.counted(), a.counted());
        assertEquals(b.loss(), a.loss(), 1e-6 * b.loss());
        assertEquals(b.entropy(), a.entropy(), 1e-5 * b.entropy());
        assertGradientsClose(whole.trainableParameters(), accumulated.trainableParameters(), 1e-5);

        Optimizer oa = stack.optimizers.get("adamw").create(accumulated.trainableParameters(), Map.of("lr", 1e-3));
        Optimizer ob = stack.optimizers.get("adamw").create(whole.trainableParameters(), Map.of("lr", 1e-3));
        oa.step(new StepContext(1e-3, a.loss(), a.entropy()));
        ob.step(new StepContext(1e-3, b.loss(), b.entropy()));
        double worst = 0;
        for (int i = 0; i < whole.parameters().size(); i++) {
            float[] pa = accumulated.parameters().get(i).value().toArray();
            float[] pb = whole.parameters().get(i).value().toArray();
            for (int j = 0; j < pa.length; j++) {
                worst = Math.max(worst, Math.abs(pa[j] - pb[j]));
            }
        }
        // one Adam step moves each weight by at most lr; the two runs agree to a small fraction of that
        assertTrue(worst < 1e-3 * 1e-3 * 10, "largest parameter difference after the step: " + worst);
    }

    @Test
    void gradientsAreZeroedBeforeEachStep() {
        RealStack stack = new RealStack();
        LanguageModel m = stack.models.create(RealStack.small(VOCAB, 1), 1);
        int[] in = new int[2 * SEQ];
        int[] tg = new int[2 * SEQ];
        for (int i = 0; i < in.length; i++) {
            in[i] = i % VOCAB;
            tg[i] = (i + 1) % VOCAB;
        }
        StepRunner runner = new StepRunner(stack.autograd, 2, SEQ, 1);
        runner.run(m, slices(in, tg, in.length), 0);
        float[] first = m.trainableParameters().get(1).value().grad().clone();
        runner.run(m, slices(in, tg, in.length), 0);
        float[] second = m.trainableParameters().get(1).value().grad();
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], second[i], 0f);
        }
    }

    private static StepRunner.BatchSource slices(int[] inputs, int[] targets, int size) {
        int[] next = {0};
        return (in, tg) -> {
            System.arraycopy(inputs, next[0], in, 0, size);
            System.arraycopy(targets, next[0], tg, 0, size);
            next[0] += size;
        };
    }

    static void assertGradientsClose(List<Parameter> expected, List<Parameter> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).value().grad();
            float[] a = actual.get(i).value().grad();
            double norm = 0;
            double worst = 0;
            for (int j = 0; j < e.length; j++) {
                norm += (double) e[j] * e[j];
                worst = Math.max(worst, Math.abs(e[j] - a[j]));
            }
            norm = Math.sqrt(norm);
            assertTrue(worst <= tolerance * Math.max(norm, 1e-12),
                    expected.get(i).name() + ": max difference " + worst + " against norm " + norm);
        }
    }
}

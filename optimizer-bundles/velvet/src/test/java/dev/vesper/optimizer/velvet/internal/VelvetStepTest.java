package dev.vesper.optimizer.velvet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Velvet reports per step, and its rules at their edges. */
class VelvetStepTest {
    @Test
    void statsReportEffectiveRateBetaAndSkippedFraction() {
        Tensor w = Tensor.wrap(new float[] {1, 2, 3, 4}, new int[] {2, 2}).requiresGrad(true);
        List<Parameter> ps = List.of(new Parameter("w", w, true));
        Optimizer velvet = new VelvetFactory().create(ps, Map.of("lr", 0.1));
        assertEquals(StepStats.NONE, velvet.lastStats());

        w.grad()[0] = 0.5f;
        velvet.step(new StepContext(0.1, 2.0, 4.0));
        StepStats first = velvet.lastStats();
        assertEquals(1, first.step());
        assertEquals(0.1, first.learningRate(), 0.0, "the first step sees its own values as the means");
        assertEquals(0.9, first.beta1(), 0.0);
        assertEquals(0.75, first.skippedFraction(), 0.0, "three of four gradients are zero");

        // entropy 4 -> 1: lr·clamp(sqrt(4/1)) = lr·2; loss spike: rho = 1, beta1 = beta1_min
        w.grad()[1] = 0.5f;
        velvet.step(new StepContext(0.1, 3.0, 1.0));
        StepStats second = velvet.lastStats();
        assertEquals(0.2, second.learningRate(), 1e-15);
        assertEquals(0.8, second.beta1(), 1e-15);
        assertEquals(0.5, second.skippedFraction(), 0.0);

        // the means are now 0.98·mean + 0.02·value: H̄ = 3.94, L̄ = 2.02; entropy 3.94·4 -> factor 0.5
        velvet.step(new StepContext(0.05, 2.02, 3.94 * 4));
        assertEquals(0.025, velvet.lastStats().learningRate(), 1e-12);
        assertEquals(0.9, velvet.lastStats().beta1(), 1e-12);
    }

    @Test
    void rulesClampAndSurviveUndefinedValues() {
        assertEquals(2.0, VelvetRules.entropyFactor(3.0, 0.0));
        assertEquals(1.0, VelvetRules.entropyFactor(0.0, 0.0));
        assertEquals(1.0, VelvetRules.entropyFactor(3.0, Double.NaN));
        assertEquals(0.5, VelvetRules.entropyFactor(1.0, 100.0));
        assertEquals(Math.sqrt(3.0 / 2.5), VelvetRules.entropyFactor(3.0, 2.5));
        assertEquals(0.0, VelvetRules.rho(2.0, 1.0));
        assertEquals(1.0, VelvetRules.rho(2.0, 900.0));
        assertEquals(0.0, VelvetRules.rho(2.0, Double.NaN));
        assertEquals(5 * (Math.exp(0.05) - 1), VelvetRules.rho(2.0, 2.05), 1e-12);
        assertEquals(0.85, VelvetRules.beta1(0.9, 0.8, 0.5), 1e-15);
    }

    @Test
    void aNanLossDoesNotPoisonTheMeans() {
        Tensor w = Tensor.wrap(new float[] {1, 2, 3, 4}, new int[] {2, 2}).requiresGrad(true);
        List<Parameter> ps = List.of(new Parameter("w", w, true));
        Optimizer velvet = new VelvetFactory().create(ps, Map.of());
        java.util.Arrays.fill(w.grad(), 0.1f);
        velvet.step(new StepContext(0.01, 2.0, 3.0));
        velvet.step(new StepContext(0.01, Double.NaN, Double.NaN));
        assertEquals(0.01, velvet.lastStats().learningRate());
        velvet.step(new StepContext(0.01, 2.0, 3.0));
        assertEquals(0.01, velvet.lastStats().learningRate(), 1e-15);
        assertEquals("2.0", velvet.exportState().metadata().get("vesper.optimizer.loss_ema"));
    }
}

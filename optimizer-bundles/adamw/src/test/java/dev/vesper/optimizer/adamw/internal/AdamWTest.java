package dev.vesper.optimizer.adamw.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static List<Parameter> model() {
        Tensor emb = Tensor.wrap(new float[] {1, 1, 1, 1, 1, 1}, new int[] {3, 2}).requiresGrad(true);
        Tensor w = Tensor.wrap(new float[] {1, 1, 1, 1}, new int[] {2, 2}).requiresGrad(true);
        Tensor norm = Tensor.wrap(new float[] {1, 1}, new int[] {2}).requiresGrad(true);
        Tensor frozen = Tensor.wrap(new float[] {1, 1}, new int[] {2});
        return List.of(new Parameter("tok_embeddings.weight", emb, false), new Parameter("layers.0.attn.wq.weight", w, true),
                new Parameter("layers.0.attn_norm.weight", norm, false), new Parameter("lora_a", frozen, true));
    }

    /** With zero gradients a step is pure decay: 1·(1 − lr·wd) = 0.95 where decay applies, 1 elsewhere. */
    private static float[] decayed(String policy) {
        List<Parameter> ps = model();
        for (Parameter p : ps) {
            if (p.trainable()) {
                p.value().grad();
            }
        }
        Optimizer opt = new AdamWFactory().create(ps, policy == null
                ? Map.of("weight_decay", 0.5) : Map.of("weight_decay", 0.5, "decay", policy));
        opt.step(new StepContext(0.1, 1, 1));
        return new float[] {ps.get(0).value().get(0), ps.get(1).value().get(0), ps.get(2).value().get(0), ps.get(3).value().get(0)};
    }

    @Test
    void decayAppliesToMatricesByDefaultAndIsConfigurable() {
        assertArrayEquals(new float[] {1, 0.95f, 1, 1}, decayed(null));
        assertArrayEquals(new float[] {0.95f, 0.95f, 0.95f, 1}, decayed("all"));
        assertArrayEquals(new float[] {1, 1, 1, 1}, decayed("none"));
        assertArrayEquals(new float[] {0.95f, 0.95f, 1, 1}, decayed("tok_embeddings.*, layers.*.attn.w?.weight"));
    }

    @Test
    void matchesTorchAdamwInDoublePrecision() {
        // torch.optim.AdamW (single-tensor): step_size = lr / bc1; denom = sqrt(v)/sqrt(bc2) + eps
        int n = 50;
        SplittableRandom r = new SplittableRandom(9);
        Tensor w = Tensor.zeros(5, 10).requiresGrad(true);
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            w.set(i, (float) r.nextGaussian());
            p[i] = w.get(i);
        }
        Optimizer opt = new AdamWFactory().create(List.of(new Parameter("w", w, true)),
                Map.of("lr", "3e-3", "beta1", 0.8, "beta2", 0.99, "eps", 1e-6, "weight_decay", 0.1));
        for (int t = 1; t <= 30; t++) {
            for (int i = 0; i < n; i++) {
                w.grad()[i] = (float) r.nextGaussian();
            }
            opt.step(new StepContext(Double.NaN, 1, 1));
            double bc1 = 1 - Math.pow(0.8, t);
            double bc2 = 1 - Math.pow(0.99, t);
            for (int i = 0; i < n; i++) {
                double g = w.grad()[i];
                p[i] *= 1 - 3e-3 * 0.1;
                m[i] = 0.8 * m[i] + 0.2 * g;
                v[i] = 0.99 * v[i] + 0.01 * g * g;
                p[i] -= (3e-3 / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-6);
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(p[i], w.get(i), 1e-5 * Math.abs(p[i]) + 1e-7, "element " + i);
        }
        assertEquals(3e-3, opt.lastStats().learningRate(), "the lr option stands in for a missing scheduled rate");
        assertEquals(0.8, opt.lastStats().beta1());
        assertEquals(0.0, opt.lastStats().skippedFraction());
        assertEquals(30, opt.lastStats().step());
    }

    @Test
    void badOptionsAreRejectedByName() {
        for (Map<String, Object> o : List.<Map<String, Object>>of(Map.of("lr", -3e-4), Map.of("beta1", 1.5),
                Map.of("beta2", 1.0), Map.of("eps", 0.0), Map.of("ema", 0.9), Map.of("entropy_adaptive", true))) {
            String key = o.keySet().iterator().next();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AdamWFactory().create(model(), o));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void stateNamesFollowTheSpecAndForeignKindsAreRefused() {
        List<Parameter> ps = model();
        Optimizer opt = new AdamWFactory().create(ps, Map.of());
        OptimizerState s = opt.exportState();
        assertEquals("adamw", s.optimizer());
        assertEquals(java.util.Set.of("tok_embeddings.weight.exp_avg", "tok_embeddings.weight.exp_avg_sq",
                "layers.0.attn.wq.weight.exp_avg", "layers.0.attn.wq.weight.exp_avg_sq",
                "layers.0.attn_norm.weight.exp_avg", "layers.0.attn_norm.weight.exp_avg_sq"), s.tensors().keySet());
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> opt.importState(new OptimizerState("lion", 1, s.tensors(), s.metadata())));
        assertTrue(e.getMessage().contains("'lion'"), e.getMessage());
        assertEquals("adamw", opt.name());
        assertEquals("adamw", new AdamWFactory().name());
    }
}

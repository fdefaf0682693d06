package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.TensorFile;
import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsAndPoliciesTest {
    @Test
    void readerTakesNumbersAsTextAndNamesBadOnes() {
        OptionReader r = new OptionReader("adamw", Map.of("lr", "1e-3", "beta1", 0.8f, "x", true));
        assertEquals(1e-3, r.number("lr", 0));
        assertEquals(0.8f, r.number("beta1", 0), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::rejectUnknown);
        assertTrue(e.getMessage().contains("[x]") && e.getMessage().contains("adamw"), e.getMessage());
        OptionReader bad = new OptionReader("adamw", Map.of("eps", "tiny"));
        e = assertThrows(IllegalArgumentException.class, () -> bad.positive("eps", 1));
        assertTrue(e.getMessage().contains("'eps'") && e.getMessage().contains("tiny"), e.getMessage());
    }

    @Test
    void settingsRejectValuesOutOfRange() {
        for (Map<String, Object> o : List.<Map<String, Object>>of(Map.of("lr", -1), Map.of("beta1", 1),
                Map.of("beta2", -0.5), Map.of("eps", 0), Map.of("eps", -1e-8), Map.of("weight_decay", "-0.1"),
                Map.of("threads", 1.5))) {
            String key = o.keySet().iterator().next();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdamSettings.read(new OptionReader("adamw", o)));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void aContextWithoutARateUsesTheOption() {
        AdamSettings s = AdamSettings.read(new OptionReader("adamw", Map.of("lr", 0.25)));
        assertEquals(0.25, s.learningRate(new StepContext(Double.NaN, 1, 1)));
        assertEquals(0.5, s.learningRate(new StepContext(0.5, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> s.learningRate(new StepContext(-0.5, 1, 1)));
    }

    @Test
    void decayPolicies() {
        Parameter emb = new Parameter("tok_embeddings.weight", Tensor.zeros(4, 2), false);
        Parameter wq = new Parameter("layers.0.attn.wq.weight", Tensor.zeros(2, 2), true);
        Parameter w1 = new Parameter("layers.1.ffn.w1.weight", Tensor.zeros(2, 2), true);
        Parameter bias = new Parameter("layers.0.attn_norm.bias", Tensor.zeros(2), false);
        assertTrue(DecayPolicy.matrices().decays(wq));
        assertFalse(DecayPolicy.matrices().decays(emb));
        assertTrue(DecayPolicy.parse("all").decays(bias));
        assertFalse(DecayPolicy.parse("none").decays(wq));
        DecayPolicy globs = DecayPolicy.parse("layers.*.attn.w?.weight, tok_*");
        assertTrue(globs.decays(wq));
        assertTrue(globs.decays(emb));
        assertFalse(globs.decays(w1));
        assertFalse(globs.decays(bias));
        globs.requireMatches(List.of(emb, wq));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecayPolicy.parse("layers.*.mlp.*").requireMatches(List.of(emb, wq)));
        assertTrue(e.getMessage().contains("layers.*.mlp.*"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecayPolicy.parse("a,,b"));
        assertFalse(DecayPolicy.parse("layers.0.attn.wq.weight").decays(
                new Parameter("layers.0.attn.wqXweight", Tensor.zeros(1), true)), "dots are literal");
    }

    @Test
    void runningMeansStartAtTheFirstValueAndSkipNonFinite() {
        RunningMeans m = new RunningMeans(0.98);
        m.update(Double.NaN, 1);
        assertFalse(m.initialised());
        m.prime(2.0, 3.0);
        m.update(2.0, 3.0);
        assertEquals(2.0, m.loss());
        m.update(4.0, Double.POSITIVE_INFINITY);
        assertEquals(2.0, m.loss());
        m.update(4.0, 5.0);
        assertEquals(0.98 * 2 + 0.02 * 4, m.loss(), 1e-15);
        assertEquals(0.98 * 3 + 0.02 * 5, m.entropy(), 1e-15);
    }

    @Test
    void statesTravelThroughATensorFile() {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put("w.exp_avg", new float[] {1, 2});
        tensors.put("w.exp_avg_sq", new float[] {3, 4});
        OptimizerState s = new OptimizerState("velvet", 42, tensors, Map.of(StateKeys.BETA1_PRODUCT, "0.5"));
        TensorFile f = OptimizerStates.toTensorFile(s);
        assertEquals("velvet", f.metadata().get(StateKeys.OPTIMIZER));
        assertEquals("42", f.metadata().get(StateKeys.STEP));
        OptimizerState back = OptimizerStates.fromTensorFile(f);
        assertEquals("velvet", back.optimizer());
        assertEquals(42, back.step());
        assertEquals(4f, back.tensors().get("w.exp_avg_sq")[1]);
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> OptimizerStates.fromTensorFile(TensorFile.of(Map.of(), Map.of(StateKeys.OPTIMIZER, "adamw"))));
        assertTrue(e.getMessage().contains(StateKeys.STEP), e.getMessage());
    }
}

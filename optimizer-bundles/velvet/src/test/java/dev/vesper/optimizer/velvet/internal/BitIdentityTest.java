package dev.vesper.optimizer.velvet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Velvet with every feature off is AdamW, bit for bit, over many steps (spec section 5). */
class BitIdentityTest {
    private static final Map<String, Object> OFF = Map.of("features", "", "lr", 1e-2, "threads", 2);

    @Test
    void velvetWithFeaturesOffMatchesAdamwBitForBit() {
        List<Parameter> a = Fixture.model(7);
        List<Parameter> b = Fixture.model(7);
        Optimizer adamw = new AdamWFactory().create(a, Map.of("lr", 1e-2, "threads", 2));
        Optimizer velvet = new VelvetFactory().create(b, OFF);
        for (long s = 1; s <= 300; s += 50) {
            Fixture.run(adamw, a, s, s + 49);
            Fixture.run(velvet, b, s, s + 49);
            assertTrue(Fixture.sameBits(Fixture.values(a), Fixture.values(b)), "parameters differ by step " + (s + 49));
        }
        OptimizerState sa = adamw.exportState();
        OptimizerState sb = velvet.exportState();
        assertEquals(sa.tensors().keySet(), sb.tensors().keySet());
        for (String name : sa.tensors().keySet()) {
            assertArrayEquals(sa.tensors().get(name), sb.tensors().get(name), name);
        }
        assertEquals(0.9, velvet.lastStats().beta1());
        assertEquals(adamw.lastStats().learningRate(), velvet.lastStats().learningRate());
        assertEquals(0.0, velvet.lastStats().skippedFraction());
    }

    @Test
    void theFeaturesDoChangeTheUpdate() {
        for (String feature : VelvetFeatures.ALL) {
            List<Parameter> a = Fixture.model(7);
            List<Parameter> b = Fixture.model(7);
            Fixture.run(new VelvetFactory().create(a, OFF), a, 1, 30);
            Fixture.run(new VelvetFactory().create(b, Map.of("features", feature, "lr", 1e-2)), b, 1, 30);
            assertFalse(Fixture.sameBits(Fixture.values(a), Fixture.values(b)), feature + " changed nothing");
        }
    }

    @Test
    void threadCountDoesNotChangeTheBits() {
        List<Parameter> a = Fixture.model(3);
        List<Parameter> b = Fixture.model(3);
        Fixture.run(new VelvetFactory().create(a, Map.of("threads", 1)), a, 1, 40);
        Fixture.run(new VelvetFactory().create(b, Map.of("threads", 4)), b, 1, 40);
        assertTrue(Fixture.sameBits(Fixture.values(a), Fixture.values(b)));
    }
}

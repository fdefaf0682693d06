package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamEngineTest {
    private static List<Parameter> params(long seed, int... sizes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Parameter> ps = new ArrayList<>();
        for (int k = 0; k < sizes.length; k++) {
            Tensor t = Tensor.zeros(sizes[k]).requiresGrad(true);
            for (int i = 0; i < sizes[k]; i++) {
                t.set(i, (float) r.nextGaussian());
                t.grad()[i] = (float) r.nextGaussian();
            }
            ps.add(new Parameter("p" + k, t, k % 2 == 0));
        }
        return ps;
    }

    @Test
    void aStepAllocatesNothing() {
        List<Parameter> ps = params(1, 3000, 20, 70000);
        AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults().withThreads(1).withVector(false));
        for (int i = 0; i < 20; i++) {
            engine.update(1e-3, 0.9, i % 2 == 0, 0.0);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200; i++) {
            engine.update(1e-3, 0.9, i % 2 == 0, 0.0);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1000, "200 steps allocated " + allocated + " bytes");
    }

    @Test
    void threadsAndVectorsDoNotChangeTheBits() {
        List<Parameter> a = params(2, 100_003, 17, 40_000);
        List<Parameter> b = params(2, 100_003, 17, 40_000);
        AdamEngine one = new AdamEngine(a, AdamSettings.defaults().withThreads(1).withVector(false));
        AdamEngine three = new AdamEngine(b, AdamSettings.defaults().withThreads(3));
        for (int i = 0; i < 5; i++) {
            one.update(1e-2, 0.85, i > 2, 0.3);
            three.update(1e-2, 0.85, i > 2, 0.3);
        }
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).value().toArray(), b.get(k).value().toArray(), a.get(k).name());
        }
        assertEquals(one.lastStats().skippedFraction(), three.lastStats().skippedFraction());
        assertTrue(one.lastStats().skippedFraction() > 0.1);
    }

    @Test
    void frozenAndGradientlessParametersAreLeftAlone() {
        Tensor frozen = Tensor.wrap(new float[] {1, 2}, new int[] {2});
        Tensor noGrad = Tensor.wrap(new float[] {3, 4}, new int[] {2}).requiresGrad(true);
        Tensor live = Tensor.wrap(new float[] {5, 6}, new int[] {2}).requiresGrad(true);
        live.grad()[0] = 1;
        live.grad()[1] = 1;
        List<Parameter> ps = List.of(new Parameter("frozen", frozen, true), new Parameter("nograd", noGrad, true),
                new Parameter("live", live, true));
        AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults());
        engine.update(0.1, 0.9, false, 0);
        assertArrayEquals(new float[] {1, 2}, frozen.toArray());
        assertArrayEquals(new float[] {3, 4}, noGrad.toArray());
        assertTrue(live.get(0) < 5);
        assertEquals(List.of("nograd", "live"), engine.parameterNames());
        StepStats s = engine.lastStats();
        assertEquals(0.5, s.skippedFraction(), "the gradientless parameter counts as skipped");
        assertEquals(1, s.step());
        assertTrue(s == engine.lastStats(), "stats are built once per step");
    }

    @Test
    void badStepArgumentsChangeNothing() {
        List<Parameter> ps = params(3, 10);
        float[] before = ps.get(0).value().toArray();
        AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults());
        assertThrows(IllegalArgumentException.class, () -> engine.update(-1, 0.9, false, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.update(1e-3, 1.0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.update(1e-3, 0.9, true, -1));
        assertEquals(0, engine.step());
        assertArrayEquals(before, ps.get(0).value().toArray());
    }

    @Test
    void aStateWithoutTheProductGetsBeta1ToTheT() {
        List<Parameter> ps = params(4, 10);
        AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults());
        OptimizerState s = engine.exportState("adamw", Map.of());
        OptimizerState bare = new OptimizerState("adamw", 12, s.tensors(), Map.of());
        engine.importState("adamw", bare);
        assertEquals(12, engine.step());
        assertEquals(Math.pow(0.9, 12), engine.beta1Product(), 1e-15);
        assertTrue(!engine.means().initialised());
    }

    @Test
    void aStateOfAnotherOptimizerIsRefusedNamingTheFamilyInTheSameOrderInEveryRun() {
        List<Parameter> ps = params(6, 10);
        AdamEngine engine = new AdamEngine(ps, AdamSettings.defaults());
        OptimizerState s = engine.exportState("adamw", Map.of());
        OptimizerState lion = new OptimizerState("lion", 3, s.tensors(), Map.of());
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> engine.importState("velvet", lion));
        // Set.of's order changes from one JVM to the next: the message (quoted in the Lion README) must not
        assertEquals("velvet cannot import the state of optimizer 'lion':"
                + " only [adamw, velvet] states carry Adam moments", e.getMessage());
        assertEquals(0, engine.step(), "nothing changes");
    }

    @Test
    void duplicateTrainableNamesAreRefused() {
        List<Parameter> ps = params(5, 3, 3);
        List<Parameter> dup = List.of(ps.get(0), new Parameter("p0", ps.get(1).value(), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamEngine(dup, AdamSettings.defaults()));
        assertTrue(e.getMessage().contains("'p0'"));
    }
}

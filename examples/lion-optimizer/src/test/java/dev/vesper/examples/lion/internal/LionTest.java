package dev.vesper.examples.lion.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LionTest {
    private static final StepContext NO_RATE = new StepContext(Double.NaN, 2.0, 1.0);

    private final LionFactory factory = new LionFactory();

    private static Parameter param(String name, boolean decay, float... values) {
        return new Parameter(name, Tensor.wrap(values.clone(), new int[] {values.length}).requiresGrad(true), decay);
    }

    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.value().grad(), 0, g.length);
    }

    private static float[] values(Parameter p) {
        return p.value().toArray();
    }

    @Test
    void twoStepsMatchTheHandComputedUpdate() {
        // lr 0.1, β1 0.9, β2 0.99, wd 0.1: a decayed matrix and an undecayed bias
        Parameter w = param("w", true, 0.5f, -0.3f, 0f, 1f);
        Parameter b = param("b", false, 0.5f);
        Optimizer lion = factory.create(List.of(w, b), Map.of("lr", 0.1, "weight_decay", 0.1));

        // step 1: m = 0, so c = 0.1·g and the step is sign(g); decay keeps 1 − 0.1·0.1 = 0.99
        setGrad(w, 0.2f, -0.1f, 0f, -0.4f);
        setGrad(b, 0.3f);
        lion.step(NO_RATE);
        assertClose(new double[] {0.395, -0.197, 0.0, 1.09}, values(w));
        assertClose(new double[] {0.4}, values(b)); // no decay: 0.5 − 0.1
        // m = 0.01·g
        assertClose(new double[] {0.002, -0.001, 0, -0.004}, lion.exportState().tensors().get("w.exp_avg"));

        // step 2: c = 0.9·m + 0.1·g = [-0.0082, -0.0109, 0.05, -0.0026]: the last element steps
        // against its gradient (+0.01), because the momentum outweighs it
        setGrad(w, -0.1f, -0.1f, 0.5f, 0.01f);
        setGrad(b, -0.3f);
        lion.step(NO_RATE);
        assertClose(new double[] {0.49105, -0.09503, -0.1, 1.1791}, values(w));
        // b: c = 0.9·0.003 + 0.1·(−0.3) = −0.0273, so +0.1
        assertClose(new double[] {0.5}, values(b));
        // m = 0.99·m + 0.01·g
        assertClose(new double[] {0.00098, -0.00199, 0.005, -0.00386}, lion.exportState().tensors().get("w.exp_avg"));

        StepStats s = lion.lastStats();
        assertEquals(2, s.step());
        assertEquals(0.1, s.learningRate());
        assertEquals(0.9, s.beta1());
        assertEquals(0.0, s.skippedFraction());
    }

    @Test
    void descendsAQuadraticToWithinAStepOfItsMinimum() {
        // f(p) = ½·Σ (p − t)², g = p − t: sign steps of 0.01 must walk every element to its target
        float[] target = {0.7f, -1.3f, 0.05f, 2.0f};
        Parameter p = param("w", true, 0f, 0f, 0f, 0f);
        Optimizer lion = factory.create(List.of(p), Map.of("lr", 0.01));
        float[] v = p.value().data();
        for (int t = 0; t < 1000; t++) {
            float[] g = p.value().grad();
            for (int i = 0; i < v.length; i++) {
                g[i] = v[i] - target[i];
            }
            lion.step(NO_RATE);
        }
        for (int i = 0; i < v.length; i++) {
            // the slow momentum (β2 0.99) overshoots and swings back for a few hundred steps, then
            // the element settles to alternating around its target, one or two steps of lr away
            assertEquals(target[i], v[i], 0.02, "element " + i);
        }
    }

    @Test
    void scheduledRateWinsOverTheConfiguredOne() {
        Parameter w = param("w", false, 1f);
        Optimizer lion = factory.create(List.of(w), Map.of("lr", 0.1));
        setGrad(w, -2f);
        lion.step(new StepContext(0.25, 1, 1));
        assertClose(new double[] {1.25}, values(w));
        assertEquals(0.25, lion.lastStats().learningRate());
    }

    @Test
    void manyStepsMatchADoublePrecisionReference() {
        Random r = new Random(5);
        Parameter a = param("layers.0.ffn.w1.weight", true, gaussian(r, 40));
        Parameter c = param("norm.weight", false, gaussian(r, 7));
        Map<String, Object> opts = Map.of("lr", "0.01", "beta1", "0.8", "beta2", 0.95, "weight_decay", 0.5);
        Optimizer lion = factory.create(List.of(a, c), opts);
        Reference ra = new Reference(values(a), 0.01, 0.8, 0.95, 0.5);
        Reference rc = new Reference(values(c), 0.01, 0.8, 0.95, 0);
        for (int t = 0; t < 6; t++) {
            float[] ga = gaussian(r, 40);
            float[] gc = gaussian(r, 7);
            setGrad(a, ga);
            setGrad(c, gc);
            lion.step(NO_RATE);
            ra.step(ga);
            rc.step(gc);
        }
        assertClose(ra.p, values(a));
        assertClose(rc.p, values(c));
        assertClose(ra.m, lion.exportState().tensors().get("layers.0.ffn.w1.weight.exp_avg"));
    }

    @Test
    void decayOptionOverridesTheParameterFlags() {
        for (String policy : new String[] {"all", "none"}) {
            Parameter w = param("w", true, 1f);
            Parameter b = param("b", false, 1f);
            Optimizer lion = factory.create(List.of(w, b), Map.of("lr", 0.1, "weight_decay", 1.0, "decay", policy));
            setGrad(w, 0f);
            setGrad(b, 0f);
            lion.step(NO_RATE); // sign(0) = 0: only the decay moves the weights
            double expected = policy.equals("all") ? 0.9 : 1.0;
            assertClose(new double[] {expected}, values(w));
            assertClose(new double[] {expected}, values(b));
        }
    }

    @Test
    void frozenAndGradientlessParametersAreLeftAlone() {
        Parameter frozen = new Parameter("frozen", Tensor.wrap(new float[] {1f, 2f}, new int[] {2}), true);
        Parameter noGrad = param("nograd", true, 3f, 4f, 5f);
        Parameter w = param("w", true, 1f);
        Optimizer lion = factory.create(List.of(frozen, noGrad, w), Map.of("lr", 0.1));
        setGrad(w, 1f);
        lion.step(NO_RATE);
        assertClose(new double[] {1, 2}, values(frozen));
        assertClose(new double[] {3, 4, 5}, values(noGrad));
        assertClose(new double[] {0.9}, values(w));
        assertEquals(0.75, lion.lastStats().skippedFraction(), 1e-12, "3 of the 4 trainable elements had no gradient");
        assertEquals(List.of("nograd.exp_avg", "w.exp_avg"), List.copyOf(lion.exportState().tensors().keySet()));
    }

    @Test
    void stateRoundTripContinuesBitIdentically() {
        Random r = new Random(9);
        float[] init = gaussian(r, 16);
        Parameter p1 = param("w", true, init);
        Optimizer first = factory.create(List.of(p1), Map.of("lr", 0.01, "weight_decay", 0.1));
        for (int t = 0; t < 3; t++) {
            setGrad(p1, gaussian(r, 16));
            first.step(NO_RATE);
        }
        OptimizerState state = first.exportState();
        assertEquals("lion", state.optimizer());
        assertEquals(3, state.step());
        assertEquals("3", state.metadata().get("vesper.optimizer.step"));

        Parameter p2 = param("w", true, values(p1));
        Optimizer second = factory.create(List.of(p2), Map.of("lr", 0.01, "weight_decay", 0.1));
        second.importState(state);
        for (int t = 0; t < 3; t++) {
            float[] g = gaussian(r, 16);
            setGrad(p1, g);
            setGrad(p2, g);
            first.step(NO_RATE);
            second.step(NO_RATE);
        }
        assertArrayEquals(values(p1), values(p2));
        assertEquals(6, second.lastStats().step());
    }

    @Test
    void adamMomentsSeedTheMomentumAndSecondMomentsAreIgnored() {
        Parameter w = param("w", false, 0f, 0f);
        Optimizer lion = factory.create(List.of(w), Map.of("lr", 0.1));
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put("w.exp_avg", new float[] {1f, -1f});
        tensors.put("w.exp_avg_sq", new float[] {5f, 5f});
        lion.importState(new OptimizerState("velvet", 40, tensors, Map.of("vesper.optimizer.beta1_product", "0.01")));
        // c = 0.9·m + 0.1·g: the carried momentum decides the sign against a small opposite gradient
        setGrad(w, -0.5f, 0.5f);
        lion.step(NO_RATE);
        assertClose(new double[] {-0.1, 0.1}, values(w));
        assertEquals(41, lion.lastStats().step());
        assertClose(new double[] {0.985, -0.985}, lion.exportState().tensors().get("w.exp_avg"));
    }

    @Test
    void incompatibleStateIsRefusedNamingTheTensorAndChangesNothing() {
        Parameter w = param("w", true, 1f, 2f);
        Optimizer lion = factory.create(List.of(w), Map.of());
        setGrad(w, 1f, 1f);
        lion.step(NO_RATE);
        float[] before = lion.exportState().tensors().get("w.exp_avg");

        assertRefused(lion, Map.of("x.exp_avg", new float[2]), "'w.exp_avg'");
        assertRefused(lion, Map.of("w.exp_avg", new float[3]), "'w.exp_avg' has 3 values");
        Map<String, float[]> extra = new HashMap<>();
        extra.put("w.exp_avg", new float[2]);
        extra.put("w.other", new float[2]);
        assertRefused(lion, extra, "'w.other'");
        assertRefused(lion, Map.of("w.exp_avg", new float[] {0f, Float.NaN}), "'w.exp_avg' holds NaN");
        assertThrows(IncompatibleStateException.class, () -> lion.importState(null));
        assertThrows(IncompatibleStateException.class,
                () -> lion.importState(new OptimizerState("lion", -1, Map.of("w.exp_avg", new float[2]), Map.of())));

        assertArrayEquals(before, lion.exportState().tensors().get("w.exp_avg"));
        assertEquals(1, lion.exportState().step());
    }

    @Test
    void badOptionsAreRejectedNamingTheField() {
        List<Parameter> ps = List.of(param("w", true, 1f));
        assertBad(ps, Map.of("lr", -1), "'lr'");
        assertBad(ps, Map.of("lr", 0), "'lr'");
        assertBad(ps, Map.of("lr", Double.POSITIVE_INFINITY), "'lr'");
        assertBad(ps, Map.of("beta1", 1.0), "'beta1'");
        assertBad(ps, Map.of("beta2", "abc"), "'beta2'");
        assertBad(ps, Map.of("beta2", -0.1), "'beta2'");
        assertBad(ps, Map.of("weight_decay", -0.01), "'weight_decay'");
        assertBad(ps, Map.of("weight_decay", true), "'weight_decay'");
        assertBad(ps, Map.of("decay", "matrix"), "'decay'");
        assertBad(ps, Map.of("momentum", 0.9), "[momentum]");
        assertBad(List.of(param("w", true, 1f), param("w", true, 2f)), Map.of(), "'w'");
        // AdamW's eps is accepted (and has no effect), so that an AdamW run can switch to Lion
        factory.create(ps, Map.of("eps", 1e-8, "lr", "3e-4", "beta1", "0.95"));
    }

    @Test
    void defaultsFollowTheReferenceImplementation() {
        LionSettings s = LionSettings.read(Map.of());
        assertEquals(new LionSettings(1e-4, 0.9, 0.99, 0.0, "matrices"), s);
        assertEquals("lion", factory.name());
    }

    private static void assertRefused(Optimizer lion, Map<String, float[]> tensors, String mention) {
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> lion.importState(new OptimizerState("adamw", 7, tensors, Map.of())));
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }

    private void assertBad(List<Parameter> ps, Map<String, Object> options, String mention) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(ps, options));
        assertTrue(e.getMessage().contains(mention), options + ": " + e.getMessage());
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Lion written again from the paper's pseudo-code, in double precision. */
    private static final class Reference {
        final double[] p;
        final double[] m;
        final double lr;
        final double b1;
        final double b2;
        final double wd;

        Reference(float[] init, double lr, double b1, double b2, double wd) {
            this.p = new double[init.length];
            for (int i = 0; i < init.length; i++) {
                p[i] = init[i];
            }
            this.m = new double[init.length];
            this.lr = lr;
            this.b1 = b1;
            this.b2 = b2;
            this.wd = wd;
        }

        void step(float[] g) {
            for (int i = 0; i < p.length; i++) {
                double update = Math.signum(b1 * m[i] + (1 - b1) * g[i]);
                p[i] = p[i] * (1 - lr * wd) - lr * update;
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
        }
    }
}

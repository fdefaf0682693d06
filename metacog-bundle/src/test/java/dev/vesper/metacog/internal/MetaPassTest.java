package dev.vesper.metacog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The meta head's forward against the spec's formulas in double, and its backward against finite differences. */
class MetaPassTest {
    private static final int D = 12;
    private static final int ROWS = 5;
    private static final int[] LABELS = {0, 2, 1, 1, 0};

    private final SpecMetaHead head = SpecMetaHead.create(D, 7, new CpuBackend(1, false), new GeluActivation());
    private final float[] hidden = new float[ROWS * D];
    private final float[] right = {1, 0, 0, 1, 1};
    private final float[] ends = {0, 0, 1, 0, 1};

    MetaPassTest() {
        Random random = new Random(3);
        for (Parameter p : head.parameters()) {
            float[] w = p.value().data();
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (0.4 * random.nextGaussian());
            }
            p.value().requiresGrad(true);
        }
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
    }

    @Test
    void forwardIsTheSpecsHead() {
        for (int r = 0; r < ROWS; r++) {
            float[] h = java.util.Arrays.copyOfRange(hidden, r * D, (r + 1) * D);
            Assessment a = head.assess(h);
            double[] expected = naive(h);
            assertEquals(expected[0], a.confidence(), 1e-5, "confidence");
            assertEquals(expected[4], a.terminate(), 1e-5, "terminate");
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[1 + c], a.errorProbabilities()[c], 1e-5, "error class " + c);
            }
        }
    }

    /** {@code [confidence, p(factual), p(logical), p(incomplete), terminate]} by spec section 6, in double. */
    private double[] naive(float[] h) {
        float[] w1 = head.tensor("meta.error_proj.weight").data();
        float[] b1 = head.tensor("meta.error_proj.bias").data();
        float[] w2 = head.tensor("meta.error_cls.weight").data();
        float[] b2 = head.tensor("meta.error_cls.bias").data();
        int units = SpecMetaHead.ERROR_UNITS;
        double[] e = new double[units];
        for (int j = 0; j < units; j++) {
            double x = b1[j];
            for (int k = 0; k < D; k++) {
                x += w1[j * D + k] * (double) h[k];
            }
            e[j] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }
        double[] logits = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            logits[c] = b2[c];
            for (int j = 0; j < units; j++) {
                logits[c] += w2[c * units + j] * e[j];
            }
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.exp(logits[c] - max);
        }
        double[] out = new double[5];
        out[0] = 1 / (1 + Math.exp(-dot(head.tensor("meta.confidence.weight"), head.tensor("meta.confidence.bias"), h)));
        for (int c = 0; c < 3; c++) {
            out[1 + c] = Math.exp(logits[c] - max) / sum;
        }
        out[4] = 1 / (1 + Math.exp(-dot(head.tensor("meta.terminate.weight"), head.tensor("meta.terminate.bias"), h)));
        return out;
    }

    private static double dot(Tensor w, Tensor b, float[] h) {
        double z = b.get(0);
        for (int k = 0; k < h.length; k++) {
            z += w.get(k) * (double) h[k];
        }
        return z;
    }

    /** Both binary cross-entropies and the error classes' cross-entropy, summed over the rows. */
    private double loss(MetaPass pass, float[] dConfidence, float[] dTerminate, float[] dErrors) {
        pass.forward(MetaPass.matrix(hidden, ROWS, D));
        double loss = 0;
        double[] logits = new double[3];
        for (int r = 0; r < ROWS; r++) {
            double zc = pass.confidenceLogit(r);
            double zt = pass.terminateLogit(r);
            loss += Logistic.crossEntropy(zc, right[r]) + Logistic.crossEntropy(zt, ends[r]);
            dConfidence[r] = (float) (Logistic.sigmoid(zc) - right[r]);
            dTerminate[r] = (float) (Logistic.sigmoid(zt) - ends[r]);
            pass.errorLogits(r, logits);
            double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
            double sum = 0;
            for (double z : logits) {
                sum += Math.exp(z - max);
            }
            loss += Math.log(sum) + max - logits[LABELS[r]];
            for (int c = 0; c < 3; c++) {
                dErrors[r * 3 + c] = (float) (Math.exp(logits[c] - max) / sum - (c == LABELS[r] ? 1 : 0));
            }
        }
        return loss;
    }

    /** One forward and backward of all three losses, the gradients left in the weights. */
    private MetaPass backwardOnce() {
        MetaPass pass = new MetaPass(head, ROWS);
        float[] dc = new float[ROWS];
        float[] dt = new float[ROWS];
        float[] de = new float[ROWS * 3];
        loss(pass, dc, dt, de);
        pass.backward(MetaPass.matrix(hidden, ROWS, D), dc, dt, de);
        return pass;
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        MetaPass pass = backwardOnce();
        float[] scratchC = new float[ROWS];
        float[] scratchT = new float[ROWS];
        float[] scratchE = new float[ROWS * 3];
        int checked = 0;
        for (Parameter p : head.parameters()) {
            float[] w = p.value().data();
            float[] grad = p.value().grad();
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 40)) {
                float saved = w[i];
                float eps = 1e-2f;
                w[i] = saved + eps;
                double up = loss(pass, scratchC, scratchT, scratchE);
                w[i] = saved - eps;
                double down = loss(pass, scratchC, scratchT, scratchE);
                w[i] = saved;
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, grad[i], 5e-4 + 2e-3 * Math.abs(numeric), p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    @Test
    void frozenWeightsGetNoGradient() {
        for (Parameter p : head.parameters()) {
            p.value().requiresGrad(p.name().startsWith(SpecMetaHead.CONFIDENCE));
        }
        backwardOnce();
        for (Parameter p : head.parameters()) {
            assertEquals(p.name().startsWith(SpecMetaHead.CONFIDENCE), p.value().hasGrad(), p.name());
        }
    }
}

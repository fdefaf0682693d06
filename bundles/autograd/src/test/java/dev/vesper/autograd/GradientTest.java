package dev.vesper.autograd;

import static dev.vesper.autograd.GradCheck.randn;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every Graph operation's backward against central finite differences, on odd shapes (7, 13, 33, 65). */
class GradientTest {
    private final Autograd ag = new TapeAutograd(backend());
    private final GradCheck gc = new GradCheck(ag, 42);
    private final Random r = new Random(7);

    /** The backend under test; a subclass runs the same checks on the scalar path. */
    CpuBackend backend() {
        return new CpuBackend();
    }

    @Test
    void matmulAllTransposes() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? randn(r, 13, 7) : randn(r, 7, 13);
                Tensor b = tb ? randn(r, 33, 13) : randn(r, 13, 33);
                gc.check("matmul ta=" + ta + " tb=" + tb, (g, l) -> g.matmul(l[0], ta, l[1], tb), a, b);
            }
        }
    }

    @Test
    void matmulBatchedAndBroadcast() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? randn(r, 2, 3, 13, 7) : randn(r, 2, 3, 7, 13);
                Tensor b = tb ? randn(r, 2, 3, 5, 13) : randn(r, 2, 3, 13, 5);
                gc.check("batched", (g, l) -> g.matmul(l[0], ta, l[1], tb), a, b);
                Tensor w = tb ? randn(r, 5, 13) : randn(r, 13, 5);
                gc.check("batch x 2-D", (g, l) -> g.matmul(l[0], ta, l[1], tb), a, w);
                Tensor a2 = ta ? randn(r, 13, 7) : randn(r, 7, 13);
                gc.check("2-D x batch", (g, l) -> g.matmul(l[0], ta, l[1], tb), a2, b);
            }
        }
    }

    @Test
    void linear() {
        gc.check("linear", (g, l) -> g.linear(l[0], l[1]), randn(r, 2, 7, 13), randn(r, 33, 13));
    }

    @Test
    void addMulScaleSumMean() {
        Tensor a = randn(r, 3, 7, 13);
        gc.check("add same", (g, l) -> g.add(l[0], l[1]), a, randn(r, 3, 7, 13));
        gc.check("add broadcast", (g, l) -> g.add(l[0], l[1]), a, randn(r, 7, 13));
        gc.check("add broadcast row", (g, l) -> g.add(l[0], l[1]), a, randn(r, 13));
        gc.check("add broadcast first", (g, l) -> g.add(l[1], l[0]), a, randn(r, 13));
        gc.check("mul same", (g, l) -> g.mul(l[0], l[1]), a, randn(r, 3, 7, 13));
        gc.check("mul broadcast", (g, l) -> g.mul(l[0], l[1]), a, randn(r, 7, 13));
        gc.check("mul broadcast row", (g, l) -> g.mul(l[0], l[1]), a, randn(r, 13));
        gc.check("scale", (g, l) -> g.scale(l[0], -1.7f), a);
        gc.check("sum", (g, l) -> g.sum(l[0]), randn(r, 7, 65));
        gc.check("mean", (g, l) -> g.mean(l[0]), randn(r, 7, 65));
        // a tensor used twice collects both contributions
        gc.check("reuse", (g, l) -> g.mul(g.add(l[0], l[0]), l[0]), randn(r, 7, 13));
    }

    @Test
    void embedding() {
        IntTensor ids = IntTensor.wrap(new int[] {3, 0, 10, 3, 3, 7, 1, 0, 10, 2, 5, 5, 6, 9}, 2, 7);
        gc.check("embedding", (g, l) -> g.embedding(l[0], ids), randn(r, 11, 13));
    }

    @Test
    void layerNorm() {
        gc.check("layerNorm", (g, l) -> g.layerNorm(l[0], l[1], l[2], 1e-5f), randn(r, 7, 33), randn(r, 33), randn(r, 33));
        gc.check("layerNorm 65", (g, l) -> g.layerNorm(l[0], l[1], l[2], 1e-5f), randn(r, 2, 3, 65), randn(r, 65), randn(r, 65));
    }

    @Test
    void headsAndRope() {
        gc.check("splitHeads", (g, l) -> g.splitHeads(l[0], 3), randn(r, 2, 7, 12));
        gc.check("mergeHeads", (g, l) -> g.mergeHeads(l[0]), randn(r, 2, 3, 7, 4));
        gc.check("rope", (g, l) -> g.rope(l[0], 0, 10000f), randn(r, 2, 3, 7, 8));
        gc.check("rope offset", (g, l) -> g.rope(l[0], 13, 10000f), randn(r, 1, 2, 13, 6));
        gc.check("split-rope-merge", (g, l) -> g.mergeHeads(g.rope(g.splitHeads(l[0], 2), 5, 100f)), randn(r, 2, 7, 8));
    }

    @Test
    void attention() {
        gc.check("attention Tq=Tk", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0f),
                randn(r, 2, 2, 7, 8), randn(r, 2, 2, 7, 8), randn(r, 2, 2, 7, 8));
        gc.check("attention Tk>Tq", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0f),
                randn(r, 1, 2, 7, 6), randn(r, 1, 2, 13, 6), randn(r, 1, 2, 13, 6));
        gc.check("attention dropout", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0.3f),
                randn(r, 2, 1, 13, 8), randn(r, 2, 1, 13, 8), randn(r, 2, 1, 13, 8));
        // more queries than one block of the kernel (64), with a KV prefix
        gc.check("attention blocks", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0f),
                randn(r, 1, 1, 70, 4), randn(r, 1, 1, 75, 4), randn(r, 1, 1, 75, 4));
        gc.check("attention blocks dropout", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0.2f),
                randn(r, 1, 1, 65, 4), randn(r, 1, 1, 65, 4), randn(r, 1, 1, 65, 4));
        gc.check("attention one query", (g, l) -> g.causalAttention(l[0], l[1], l[2], 0f),
                randn(r, 1, 2, 1, 8), randn(r, 1, 2, 33, 8), randn(r, 1, 2, 33, 8));
    }

    @Test
    void softmaxAndDropout() {
        gc.check("softmax", (g, l) -> g.softmax(l[0]), randn(r, 7, 13));
        gc.check("softmax 65", (g, l) -> g.softmax(l[0]), randn(r, 3, 65));
        gc.check("dropout", (g, l) -> g.dropout(l[0], 0.25f), randn(r, 7, 33));
    }

    /** x·tanh(x), a smooth activation with a non-trivial backward, defined here to test the hook. */
    static final class XTanh implements Activation {
        @Override
        public String name() {
            return "xtanh";
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            double s = options.getOrDefault("s", 1.0);
            for (int i = rowFrom * cols; i < rowTo * cols; i++) {
                y[i] = (float) (s * x[i] * Math.tanh(x[i]));
            }
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            double s = options.getOrDefault("s", 1.0);
            for (int i = rowFrom * cols; i < rowTo * cols; i++) {
                double t = Math.tanh(x[i]);
                dx[i] = (float) (dy[i] * s * (t + x[i] * (1 - t * t)));
            }
        }
    }

    @Test
    void activationHook() {
        Activation act = new XTanh();
        gc.check("activation", (g, l) -> g.activation(l[0], act, Map.of("s", 0.5)), randn(r, 7, 65));
        gc.check("activation twice", (g, l) -> g.add(g.activation(l[0], act, null), l[0]), randn(r, 13, 7));
        // a leaf that is a view at a non-zero offset
        Tensor big = randn(r, 20, 7);
        Tensor rows = big.rows(5, 18).requiresGrad(true);
        gc.check("activation offset leaf", (g, l) -> g.activation(l[0], act, null), rows);
    }

    @Test
    void topK() {
        // well-separated values, so that the finite-difference steps never reorder them
        Tensor x = Tensor.zeros(7, 13).requiresGrad(true);
        for (int row = 0; row < 7; row++) {
            for (int j = 0; j < 13; j++) {
                x.set(row * 13 + j, ((j * 5 + row * 3) % 13) * 0.5f - 3f);
            }
        }
        Tensor bias = Tensor.zeros(13);
        for (int j = 0; j < 13; j++) {
            bias.set(j, (j % 3) * 0.1f);
        }
        gc.check("topK", (g, l) -> g.topK(l[0], bias, 4), x);
    }

    @Test
    void crossEntropy() {
        IntTensor targets = IntTensor.wrap(new int[] {1, 64, -100, 0, 33, 7, -100, 12, 13, 2, 50, 60, -100, 5}, 2, 7);
        gc.check("crossEntropy", (g, l) -> g.crossEntropy(l[0], targets, -100).loss(), randn(r, 2, 7, 65));
        gc.check("crossEntropy scaled", (g, l) -> g.scale(g.crossEntropy(l[0], targets, -100).loss(), 3f), randn(r, 2, 7, 65));
    }

    @Test
    void composedBlock() {
        // a pre-norm attention block with a residual: the gradient flows through every op in sequence
        Tensor x = randn(r, 2, 7, 8);
        Tensor wq = randn(r, 8, 8), wk = randn(r, 8, 8), wv = randn(r, 8, 8), wo = randn(r, 8, 8);
        Tensor nw = randn(r, 8), nb = randn(r, 8);
        gc.check("block", (g, l) -> {
            Tensor a = g.layerNorm(l[0], l[5], l[6], 1e-5f);
            Tensor q = g.rope(g.splitHeads(g.linear(a, l[1]), 2), 0, 10000f);
            Tensor k = g.rope(g.splitHeads(g.linear(a, l[2]), 2), 0, 10000f);
            Tensor v = g.splitHeads(g.linear(a, l[3]), 2);
            Tensor o = g.linear(g.mergeHeads(g.causalAttention(q, k, v, 0f)), l[4]);
            return g.add(l[0], o);
        }, x, wq, wk, wv, wo, nw, nb);
    }
}

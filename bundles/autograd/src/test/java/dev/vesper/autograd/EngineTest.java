package dev.vesper.autograd;

import static dev.vesper.autograd.GradCheck.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tape semantics: frozen leaves, noGrad, release and reuse, determinism, error messages, loss values. */
class EngineTest {
    private final TapeAutograd ag = new TapeAutograd(new CpuBackend());
    private final Random r = new Random(11);

    @Test
    void frozenLeavesGetNoGradient() {
        Tensor w = randn(r, 5, 7);
        Tensor frozen = randn(r, 5, 7).requiresGrad(false);
        Tensor x = randn(r, 3, 7).requiresGrad(false);
        try (Graph g = ag.record(1)) {
            g.backward(g.sum(g.linear(x, g.add(w, frozen))));
        }
        assertTrue(w.hasGrad());
        assertFalse(frozen.hasGrad(), "a frozen leaf received a gradient");
        assertFalse(x.hasGrad(), "an input received a gradient");
    }

    @Test
    void gradientsAccumulateAcrossBackwardPasses() {
        Tensor w = randn(r, 4).requiresGrad(true);
        for (int i = 0; i < 2; i++) {
            try (Graph g = ag.record(1)) {
                g.backward(g.sum(g.scale(w, 2f)));
            }
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(4f, w.grad()[i]);
        }
    }

    @Test
    void noGradRecordsNothing() {
        Tensor w = randn(r, 5, 7);
        try (Graph g = ag.noGrad()) {
            assertFalse(g.recording());
            Tensor y = g.sum(g.linear(randn(r, 2, 7), w));
            assertFalse(y.hasGrad());
            assertThrows(IllegalStateException.class, () -> g.backward(y));
            // dropout is the identity without recording
            Tensor x = randn(r, 9);
            assertTrue(g.dropout(x, 0.5f) == x);
        }
        assertFalse(w.hasGrad());
    }

    @Test
    void sameSeedSameResultOtherSeedOtherMask() {
        Tensor x = randn(r, 2, 2, 13, 8);
        float[] a = attentionWithDropout(x, 5), b = attentionWithDropout(x, 5), c = attentionWithDropout(x, 6);
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
    }

    private float[] attentionWithDropout(Tensor x, long seed) {
        x.zeroGrad();
        try (Graph g = ag.record(seed)) {
            Tensor y = g.dropout(g.causalAttention(x, x, x, 0.2f), 0.1f);
            g.backward(g.sum(g.mul(y, y)));
            float[] out = y.toArray();
            float[] res = java.util.Arrays.copyOf(out, out.length + x.size());
            System.arraycopy(x.grad(), 0, res, out.length, x.size());
            return res;
        }
    }

    @Test
    void threadCountDoesNotChangeResults() {
        Tensor x = randn(r, 4, 33, 65), w = randn(r, 129, 65), nw = randn(r, 65), nb = randn(r, 65);
        float[] one = step(new TapeAutograd(new CpuBackend(1, true)), x, w, nw, nb);
        float[] two = step(new TapeAutograd(new CpuBackend(2, true)), x, w, nw, nb);
        assertArrayEquals(one, two);
    }

    private float[] step(TapeAutograd engine, Tensor x, Tensor w, Tensor nw, Tensor nb) {
        w.zeroGrad();
        nw.zeroGrad();
        try (Graph g = engine.record(3)) {
            Tensor h = g.linear(g.layerNorm(x, nw, nb, 1e-5f), w);
            IntTensor t = IntTensor.zeros(4, 33);
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (i * 7) % 129;
            }
            CrossEntropy ce = g.crossEntropy(h, t, -100);
            g.backward(ce.loss());
            float[] res = java.util.Arrays.copyOf(w.grad(), w.size() + nw.size() + 1);
            System.arraycopy(nw.grad(), 0, res, w.size(), nw.size());
            res[res.length - 1] = ce.lossValue();
            return res;
        }
    }

    @Test
    void topKKeepsTheLargestTiesToTheLowerIndexNaNLast() {
        Tensor x = Tensor.wrap(new float[] {1, 3, 3, 2, Float.NaN, 1, 2, 0}, new int[] {2, 4});
        try (Graph g = ag.noGrad()) {
            assertArrayEquals(new float[] {0, 3, 3, 0, 0, 1, 2, 0}, g.topK(x, Tensor.zeros(4), 2).toArray());
            assertArrayEquals(new float[] {0, 3, 0, 0, 0, 0, 2, 0}, g.topK(x, Tensor.zeros(4), 1).toArray());
            // the bias shifts the choice but not the kept values
            Tensor bias = Tensor.wrap(new float[] {5, 0, 0, 0}, new int[] {4});
            assertArrayEquals(new float[] {1, 3, 0, 0, 0, 1, 2, 0}, g.topK(x, bias, 2).toArray());
        }
    }

    @Test
    void crossEntropyValuesAndEntropy() {
        Tensor logits = randn(r, 3, 5).requiresGrad(false);
        IntTensor t = IntTensor.wrap(new int[] {2, -100, 4}, 3);
        double loss = 0, ent = 0;
        for (int row : new int[] {0, 2}) {
            double mx = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < 5; j++) {
                mx = Math.max(mx, logits.get(row * 5 + j));
            }
            for (int j = 0; j < 5; j++) {
                s += Math.exp(logits.get(row * 5 + j) - mx);
            }
            double lse = mx + Math.log(s);
            loss += lse - logits.get(row * 5 + t.get(row));
            for (int j = 0; j < 5; j++) {
                double p = Math.exp(logits.get(row * 5 + j) - lse);
                ent -= p * Math.log(p);
            }
        }
        try (Graph g = ag.noGrad()) {
            CrossEntropy ce = g.crossEntropy(logits, t, -100);
            assertEquals(2, ce.counted());
            assertEquals(loss / 2, ce.lossValue(), 1e-5);
            assertEquals(ent / 2, ce.entropy(), 1e-5);
        }
    }

    @Test
    void errorsNameTheOperationAndBothShapes() {
        try (Graph g = ag.noGrad()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.matmul(Tensor.zeros(2, 3), false, Tensor.zeros(4, 5), false));
            assertEquals("matmul: [2,3] x [4,5]: inner dimensions 3 and 4 differ", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.add(Tensor.zeros(2, 3), Tensor.zeros(2)));
            assertTrue(e.getMessage().contains("add: [2,3] and [2]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.linear(Tensor.zeros(2, 5), Tensor.zeros(3, 4)));
            assertTrue(e.getMessage().contains("[2,5]") && e.getMessage().contains("[3,4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> g.embedding(Tensor.zeros(4, 2), IntTensor.wrap(new int[] {1, 4}, 2)));
            assertTrue(e.getMessage().contains("id 4 at position 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> g.crossEntropy(Tensor.zeros(2, 3), IntTensor.wrap(new int[] {1, 3}, 2), -100));
            assertTrue(e.getMessage().contains("target 3 at position 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.splitHeads(Tensor.zeros(1, 2, 7), 2));
            assertTrue(e.getMessage().contains("[1,2,7]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.causalAttention(Tensor.zeros(1, 1, 5, 4),
                    Tensor.zeros(1, 1, 3, 4), Tensor.zeros(1, 1, 3, 4), 0f));
            assertTrue(e.getMessage().contains("[1,1,5,4]") && e.getMessage().contains("[1,1,3,4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> g.layerNorm(Tensor.zeros(2, 4), Tensor.zeros(3), Tensor.zeros(4), 1e-5f));
            assertTrue(e.getMessage().contains("[2,4]") && e.getMessage().contains("[3]"), e.getMessage());
        }
    }

    @Test
    void viewsOfIntermediatesAndClosedGraphsAreRejected() {
        Graph g = ag.record(1);
        Tensor y = g.scale(randn(r, 2, 6), 2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.sum(y.view(3, 4)));
        assertTrue(e.getMessage().contains("shares its array with an intermediate"), e.getMessage());
        g.close();
        assertThrows(IllegalStateException.class, () -> g.sum(y));
    }

    @Test
    void backwardReleasesIntermediateGradientsButKeepsOutputs() {
        Tensor w = randn(r, 6, 5);
        try (Graph g = ag.record(1)) {
            Tensor y = g.scale(g.linear(randn(r, 4, 5).requiresGrad(false), w), 3f);
            float[] before = y.toArray();
            assertFalse(y.hasGrad(), "an intermediate got a gradient buffer before backward reached it");
            g.backward(g.sum(y));
            assertFalse(y.hasGrad(), "an intermediate kept its gradient buffer after backward");
            assertArrayEquals(before, y.toArray());
            assertTrue(w.hasGrad());
        }
    }

    @Test
    void reversePassHoldsOnlyAFewGradientsAtOnce() {
        TapeAutograd engine = new TapeAutograd(new CpuBackend());
        Tensor w = randn(r, 64, 64);
        int chain = 20;
        try (Graph g = engine.record(1)) {
            Tensor h = g.linear(randn(r, 32, 64).requiresGrad(false), w);
            for (int i = 0; i < chain; i++) {
                h = g.add(h, g.scale(h, 0.5f));
            }
            g.backward(g.sum(h));
        }
        long outputs = (2L * chain + 1) * 32 * 64 + 1;
        long pooled = engine.pooledAllocatedFloats();
        // every output is held until close; the reverse pass adds a couple of gradients, not one per output
        assertTrue(pooled <= outputs + 4L * 32 * 64, "pooled " + pooled + " floats for " + outputs + " of outputs");
    }

    @Test
    void graphsClosedWithoutBackwardReturnEveryBuffer() {
        TapeAutograd engine = new TapeAutograd(new CpuBackend());
        Tensor w = randn(r, 16, 16), nw = randn(r, 16), nb = randn(r, 16);
        IntTensor ids = IntTensor.zeros(2, 8);
        long[] after = new long[3];
        for (int step = 0; step < 3; step++) {
            try (Graph g = step == 1 ? engine.noGrad() : engine.record(step)) {
                Tensor x = g.layerNorm(g.linear(randn(r, 2, 8, 16).requiresGrad(false), w), nw, nb, 1e-5f);
                Tensor q = g.splitHeads(x, 2);
                Tensor a = g.mergeHeads(g.causalAttention(q, q, q, 0f));
                g.crossEntropy(g.linear(a, w), ids, -100);
            }
            after[step] = engine.pooledAllocations();
        }
        assertEquals(after[0], after[2], "a graph closed before backward kept some of its buffers");
    }

    @Test
    void gradientsOfTensorsUsedTwiceInOneOperationAddUp() {
        Tensor w = randn(r, 3, 4);
        Tensor x = randn(r, 5, 4).requiresGrad(false);
        try (Graph g = ag.record(1)) {
            Tensor h = g.linear(x, w);
            g.backward(g.add(g.sum(g.matmul(h, true, h, false)), g.sum(g.scale(g.add(h, h), 0f))));
        }
        // d/dW sum(HᵀH) with H = X·Wᵀ: dH = 2·H·1 summed over columns, dW = dHᵀ·X
        float[] expect = new float[w.size()];
        float[] hd = new float[5 * 3];
        for (int i = 0; i < 5; i++) {
            for (int o = 0; o < 3; o++) {
                for (int j = 0; j < 4; j++) {
                    hd[i * 3 + o] += x.get(i * 4 + j) * w.get(o * 4 + j);
                }
            }
        }
        for (int o = 0; o < 3; o++) {
            for (int j = 0; j < 4; j++) {
                double acc = 0;
                for (int i = 0; i < 5; i++) {
                    double rowSum = 0;
                    for (int p = 0; p < 3; p++) {
                        rowSum += hd[i * 3 + p];
                    }
                    acc += 2 * rowSum * x.get(i * 4 + j);
                }
                expect[o * 4 + j] = (float) acc;
            }
        }
        for (int i = 0; i < expect.length; i++) {
            assertEquals(expect[i], w.grad()[i], 1e-3f * Math.max(1f, Math.abs(expect[i])), "dW[" + i + "]");
        }
    }

    @Test
    void steadyStateStepsAllocateNoNewBuffers() {
        TapeAutograd engine = new TapeAutograd(new CpuBackend());
        Tensor emb = randn(r, 50, 16), w1 = randn(r, 64, 16), w2 = randn(r, 16, 64), nw = randn(r, 16), nb = randn(r, 16);
        IntTensor ids = IntTensor.zeros(2, 9);
        for (int i = 0; i < ids.size(); i++) {
            ids.data()[i] = (i * 13) % 50;
        }
        long[] after = new long[4];
        for (int step = 0; step < 4; step++) {
            try (Graph g = engine.record(step)) {
                Tensor h = g.embedding(emb, ids);
                Tensor q = g.rope(g.splitHeads(h, 2), 0, 10000f);
                Tensor a = g.add(h, g.mergeHeads(g.causalAttention(q, q, q, 0.1f)));
                Tensor f = g.linear(g.dropout(g.linear(g.layerNorm(a, nw, nb, 1e-5f), w1), 0.1f), w2);
                CrossEntropy ce = g.crossEntropy(g.linear(g.add(a, f), emb), ids, -100);
                g.backward(ce.loss());
            }
            after[step] = engine.pooledAllocations();
        }
        assertTrue(after[0] > 0);
        assertEquals(after[1], after[3], "steps after the first allocated new pooled arrays");
    }
}

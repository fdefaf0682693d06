package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;

/** Bit-for-bit comparisons of weights and optimizer state. */
final class Weights {
    private Weights() {
    }

    static void assertBitIdentical(LanguageModel expected, LanguageModel actual) {
        List<Parameter> e = expected.parameters();
        List<Parameter> a = actual.parameters();
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).name(), a.get(i).name());
            assertArrayEquals(bits(e.get(i).value().toArray()), bits(a.get(i).value().toArray()),
                    "parameter " + e.get(i).name() + " differs");
        }
    }

    static void assertBitIdentical(OptimizerState expected, OptimizerState actual) {
        assertEquals(expected.optimizer(), actual.optimizer());
        assertEquals(expected.step(), actual.step());
        assertEquals(expected.metadata(), actual.metadata());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (Map.Entry<String, float[]> t : expected.tensors().entrySet()) {
            assertArrayEquals(bits(t.getValue()), bits(actual.tensors().get(t.getKey())),
                    "optimizer tensor " + t.getKey() + " differs");
        }
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}

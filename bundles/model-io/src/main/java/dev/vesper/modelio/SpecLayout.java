package dev.vesper.modelio;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Shapes;
import dev.vesper.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensor names and shapes that spec section 7 gives a configuration, to check checkpoints against. */
final class SpecLayout {
    private SpecLayout() {
    }

    static Map<String, int[]> base(ModelConfig c) {
        int v = c.vocabSize();
        int d = c.dModel();
        int f = c.dFf();
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("tok_embeddings.weight", new int[] {v, d});
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            m.put(p + "attn_norm.weight", new int[] {d});
            m.put(p + "attn_norm.bias", new int[] {d});
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                m.put(p + "attn." + w + ".weight", new int[] {d, d});
            }
            m.put(p + "ffn_norm.weight", new int[] {d});
            m.put(p + "ffn_norm.bias", new int[] {d});
            m.put(p + "ffn.w1.weight", new int[] {f, d});
            m.put(p + "ffn.w2.weight", new int[] {d, f});
        }
        m.put("norm.weight", new int[] {d});
        m.put("norm.bias", new int[] {d});
        if (!c.tieEmbeddings()) {
            m.put("lm_head.weight", new int[] {v, d});
        }
        return m;
    }

    /** Empty without an adapter. */
    static Map<String, int[]> adapter(ModelConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        if (!c.hasAdapter()) {
            return m;
        }
        int r = c.loraRank();
        int d = c.dModel();
        int f = c.dFf();
        boolean masked = c.adapter().equals("masked");
        for (int l = 0; l < c.layers(); l++) {
            for (int w = 1; w <= 2; w++) {
                int out = w == 1 ? f : d;
                int in = w == 1 ? d : f;
                String p = "layers." + l + ".ffn.w" + w + ".";
                m.put(p + "lora_a", new int[] {r, in});
                m.put(p + "lora_b", new int[] {out, r});
                if (masked) {
                    m.put(p + "lora_mask", new int[] {out, in});
                } else {
                    m.put(p + "lora_bias", new int[] {r});
                }
            }
        }
        return m;
    }

    /** Every expected tensor present with its shape, nothing else; the message names the file and tensor. */
    static void check(String file, Map<String, int[]> expected, Map<String, Tensor> actual) {
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = actual.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "': missing (the configuration needs "
                        + Shapes.format(e.getValue()) + ")");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "': shape " + t.shapeString()
                        + " does not match the configuration's " + Shapes.format(e.getValue()));
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "': not part of a model with this configuration");
            }
        }
    }
}

package dev.vesper.model.internal;

import dev.vesper.api.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Spec section 7's tensor names and shapes for a configuration, in the order the model creates them. */
public final class Layout {
    private Layout() {
    }

    public static Map<String, int[]> base(ModelConfig c) {
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

    /** The adapter's tensors (A, B and the fixed mask or expert bias); empty without an adapter. */
    public static Map<String, int[]> adapter(ModelConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        if (!c.hasAdapter()) {
            return m;
        }
        int r = c.loraRank();
        for (int l = 0; l < c.layers(); l++) {
            for (int w = 1; w <= 2; w++) {
                int out = w == 1 ? c.dFf() : c.dModel();
                int in = w == 1 ? c.dModel() : c.dFf();
                String p = prefix(l, w);
                m.put(p + "lora_a", new int[] {r, in});
                m.put(p + "lora_b", new int[] {out, r});
                if (masked(c)) {
                    m.put(p + "lora_mask", new int[] {out, in});
                } else {
                    m.put(p + "lora_bias", new int[] {r});
                }
            }
        }
        return m;
    }

    static String prefix(int layer, int w) {
        return "layers." + layer + ".ffn.w" + w + ".";
    }

    static boolean masked(ModelConfig c) {
        return "masked".equals(c.adapter());
    }

    /** Whether a tensor counts as a model parameter: the adapter's fixed mask and expert bias do not. */
    static boolean isParameter(String name) {
        return !name.endsWith(".lora_mask") && !name.endsWith(".lora_bias");
    }

    /** The exact parameter count: every base weight plus the adapter's A and B. */
    public static long parameterCount(ModelConfig c) {
        long n = 0;
        for (int[] s : base(c).values()) {
            n += size(s);
        }
        for (Map.Entry<String, int[]> e : adapter(c).entrySet()) {
            if (isParameter(e.getKey())) {
                n += size(e.getValue());
            }
        }
        return n;
    }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}

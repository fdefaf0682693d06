package dev.vesper.api.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A VesperLM configuration (spec section 1). Immutable; {@link #with} returns a modified copy.
 *
 * <p>{@link #toMap()} and {@link #fromMap(Map)} use the spec's JSON keys, as stored in checkpoint
 * metadata {@code vesper.config}. Unknown keys are rejected; missing keys take the defaults.
 */
public final class ModelConfig {
    /** The keys of the JSON form, in the order they are written. */
    public static final List<String> KEYS = List.of("layers", "heads", "d_model", "context", "dropout",
            "vocab_size", "tie_embeddings", "rope_theta", "norm_eps", "activation", "era_temperature",
            "era_gamma", "adapter", "lora_rank", "lora_alpha", "lora_sparsity", "lora_topk");

    /** The adapters of spec section 4, by their {@code adapter} value. */
    public static final List<String> ADAPTERS = List.of("masked", "flylora");

    /** The preset names, smallest first. */
    public static final List<String> PRESETS = List.of("tiny", "small", "medium", "large");

    /**
     * The largest {@code context}. The spec sets none, but the model and its exports hold per-position
     * tables in Java arrays, whose length is an int: the ONNX causal mask has context² entries, which
     * 32768 (2^15, 32 times the largest preset's) keeps at 2^30, within int range; above 46340 it would overflow.
     */
    private static final int MAX_CONTEXT = 32768;

    /** The keys that may be absent (null): the adapter and its settings, which have no value without one. */
    private static final List<String> OPTIONAL = List.of("adapter", "lora_rank", "lora_alpha", "lora_sparsity",
            "lora_topk");

    private final Map<String, Object> values;

    private ModelConfig(Map<String, Object> values) {
        this.values = values;
        validate();
    }

    /** A preset from the spec's table, with vocabulary size {@code vocab}. */
    public static ModelConfig preset(String name, int vocab) {
        int[] p = switch (name) {
            case "tiny" -> new int[] {6, 4, 256, 256};
            case "small" -> new int[] {8, 8, 512, 512};
            case "medium" -> new int[] {12, 12, 768, 1024};
            case "large" -> new int[] {24, 16, 1024, 1024};
            default -> throw new IllegalArgumentException("unknown model '" + name + "': expected one of " + PRESETS);
        };
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", p[0]);
        m.put("heads", p[1]);
        m.put("d_model", p[2]);
        m.put("context", p[3]);
        m.put("vocab_size", vocab);
        return fromMap(m);
    }

    /** Parses the JSON form (numbers may arrive as any {@link Number}). */
    public static ModelConfig fromMap(Map<String, ?> map) {
        Map<String, Object> m = defaults();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(unknownKey(e.getKey()));
            }
            m.put(e.getKey(), normalise(e.getKey(), e.getValue()));
        }
        return new ModelConfig(m);
    }

    private static String unknownKey(String key) {
        return "model config: unknown key '" + key + "'; the keys are " + String.join(", ", KEYS);
    }

    /** A copy with one key changed; {@code null} clears an optional key such as {@code adapter}. */
    public ModelConfig with(String key, Object value) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException(unknownKey(key));
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(key, normalise(key, value));
        return new ModelConfig(m);
    }

    /**
     * A copy with every key of {@code changes} changed, checked once as a whole: {@code d_model=36,heads=2}
     * holds even where the old head count does not divide 36.
     *
     * @since 1.3
     */
    public ModelConfig withAll(Map<String, ?> changes) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(unknownKey(e.getKey()));
            }
            m.put(e.getKey(), normalise(e.getKey(), e.getValue()));
        }
        return new ModelConfig(m);
    }

    /** The JSON form: every key with a value, in {@link #KEYS} order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : KEYS) {
            Object v = values.get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }

    public int layers() {
        return (Integer) values.get("layers");
    }

    public int heads() {
        return (Integer) values.get("heads");
    }

    public int dModel() {
        return (Integer) values.get("d_model");
    }

    /** Always 4·d_model. */
    public int dFf() {
        return 4 * dModel();
    }

    public int headDim() {
        return dModel() / heads();
    }

    public int context() {
        return (Integer) values.get("context");
    }

    public double dropout() {
        return (Double) values.get("dropout");
    }

    public int vocabSize() {
        return (Integer) values.get("vocab_size");
    }

    public boolean tieEmbeddings() {
        return (Boolean) values.get("tie_embeddings");
    }

    public double ropeTheta() {
        return (Double) values.get("rope_theta");
    }

    public double normEps() {
        return (Double) values.get("norm_eps");
    }

    public String activation() {
        return (String) values.get("activation");
    }

    public double eraTemperature() {
        return (Double) values.get("era_temperature");
    }

    public double eraGamma() {
        return (Double) values.get("era_gamma");
    }

    /** {@code masked}, {@code flylora}, or null for none. */
    public String adapter() {
        return (String) values.get("adapter");
    }

    public boolean hasAdapter() {
        return adapter() != null;
    }

    /** Adapter rank r: default 16 (masked) or 32 (flylora). */
    public int loraRank() {
        Object v = values.get("lora_rank");
        return v != null ? (Integer) v : "flylora".equals(adapter()) ? 32 : 16;
    }

    /** Adapter scale α: default 32 (masked) or 2r (flylora). */
    public double loraAlpha() {
        Object v = values.get("lora_alpha");
        return v != null ? (Double) v : "flylora".equals(adapter()) ? 2.0 * loraRank() : 32.0;
    }

    /** Fraction of zeros in the masked adapter's mask; default 0.75. */
    public double loraSparsity() {
        Object v = values.get("lora_sparsity");
        return v != null ? (Double) v : 0.75;
    }

    /** FlyLoRA's k; default 8. */
    public int loraTopk() {
        Object v = values.get("lora_topk");
        return v != null ? (Integer) v : 8;
    }

    /** The options handed to the activation service: {@code era_temperature}, {@code era_gamma}. */
    public Map<String, Double> activationOptions() {
        return Map.of("era_temperature", eraTemperature(), "era_gamma", eraGamma());
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", 6);
        m.put("heads", 4);
        m.put("d_model", 256);
        m.put("context", 256);
        m.put("dropout", 0.0);
        m.put("vocab_size", 4096);
        m.put("tie_embeddings", true);
        m.put("rope_theta", 10000.0);
        m.put("norm_eps", 1e-5);
        m.put("activation", "era");
        m.put("era_temperature", 1.0);
        m.put("era_gamma", 0.1);
        return m;
    }

    private static Object normalise(String key, Object v) {
        if (v == null && !OPTIONAL.contains(key)) {
            // a JSON null (a hand-edited checkpoint) would otherwise surface later as a NullPointerException
            throw new IllegalArgumentException("model config: '" + key + "' is null; give it a value, or leave it out"
                    + " for the default");
        }
        if (v == null) {
            return null;
        }
        try {
            switch (key) {
                case "layers", "heads", "d_model", "context", "vocab_size", "lora_rank", "lora_topk" -> {
                    if (v instanceof String s) {
                        return Integer.parseInt(s.trim());
                    }
                    Number n = (Number) v;
                    if (n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw new IllegalArgumentException("model config: '" + key + "' must be an integer, got " + v);
                    }
                    return n.intValue();
                }
                case "tie_embeddings" -> {
                    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
                        return Boolean.parseBoolean(s);
                    }
                    return (Boolean) v;
                }
                case "activation", "adapter" -> {
                    return v.toString();
                }
                default -> {
                    return v instanceof String s ? Double.parseDouble(s.trim()) : ((Number) v).doubleValue();
                }
            }
        } catch (ClassCastException | NumberFormatException e) {
            throw new IllegalArgumentException("model config: '" + key + "' has the wrong type: " + v);
        }
    }

    private void validate() {
        positive("layers", layers());
        positive("heads", heads());
        positive("d_model", dModel());
        positive("context", context());
        positive("vocab_size", vocabSize());
        checkContextSize();
        if (dModel() % heads() != 0 || headDim() % 2 != 0) {
            throw new IllegalArgumentException("model config: 'd_model' " + dModel() + " must split into "
                    + heads() + " heads of even size");
        }
        if (!(dropout() >= 0 && dropout() < 1)) {
            throw new IllegalArgumentException("model config: 'dropout' must be in [0, 1), got " + dropout());
        }
        if (!(normEps() > 0) || !(ropeTheta() > 0) || !(eraTemperature() > 0)) {
            throw new IllegalArgumentException("model config: 'norm_eps', 'rope_theta' and 'era_temperature' must be > 0");
        }
        String a = adapter();
        if (a != null && !ADAPTERS.contains(a)) {
            throw new IllegalArgumentException("model config: 'adapter' must be masked or flylora, got '" + a + "'");
        }
        if (a != null) {
            positive("lora_rank", loraRank());
            positive("lora_topk", loraTopk());
            if (!(loraSparsity() >= 0 && loraSparsity() < 1)) {
                throw new IllegalArgumentException("model config: 'lora_sparsity' must be in [0, 1), got " + loraSparsity());
            }
            // k only routes FlyLoRA; a masked adapter of small rank keeps the default k unused
            if (a.equals("flylora") && loraTopk() > loraRank()) {
                throw new IllegalArgumentException("model config: 'lora_topk' " + loraTopk() + " exceeds 'lora_rank' " + loraRank());
            }
        }
        if (activation() == null || activation().isBlank()) {
            throw new IllegalArgumentException("model config: 'activation' must name an activation");
        }
    }

    /** A context the arrays sized by it could not hold is refused here rather than as an overflow when used. */
    private void checkContextSize() {
        if (context() > MAX_CONTEXT) {
            throw new IllegalArgumentException("model config: 'context' must be at most " + MAX_CONTEXT + ", got "
                    + context());
        }
        // generation keeps each layer's keys (and values) for every position in one array of context × d_model
        if ((long) context() * dModel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model config: 'context' " + context() + " × 'd_model' " + dModel()
                    + " must be at most " + Integer.MAX_VALUE + " (a layer's key/value cache); make one of them smaller");
        }
        // every weight is one array: the FFN's d_ff × d_model and the embedding's vocab_size × d_model are the largest
        long ffn = 4L * dModel() * dModel();
        if (ffn > Integer.MAX_VALUE || (long) vocabSize() * dModel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model config: 'd_model' " + dModel() + " is too large: the FFN's"
                    + " 4·d_model × d_model and the embedding's 'vocab_size' " + vocabSize() + " × d_model must each be"
                    + " at most " + Integer.MAX_VALUE + " values");
        }
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("model config: '" + key + "' must be > 0, got " + v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toMap());
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}

package dev.vesper.model.internal;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.model.TokenSink;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * VesperLM (spec sections 2 to 4): a pre-norm decoder whose training forward pass is built only from
 * {@link Graph} operations, so that any compute backend can run it. The activation is looked up by
 * name at every forward pass (and once per {@link #generate} call), so swapping the activation
 * service takes effect at the next step.
 */
public final class VesperLM implements LanguageModel {
    /** Tokens a generation makes room for at first. */
    private static final int FIRST_ROOM = 256;

    private static final String[] ATTN = {"wq", "wk", "wv"};

    private volatile ModelConfig config;
    private final Function<String, Activation> activations;
    private final Map<String, Tensor> base;
    private Map<String, Tensor> adapterTensors;
    /** Per layer: the adapters on W1 and W2, or null. */
    private FfnAdapter[][] adapters;
    private List<Parameter> parameters;
    private Decoder decoder;
    private Sampler sampler;

    public VesperLM(ModelConfig config, long seed, Function<String, Activation> activations) {
        this.config = config;
        this.activations = activations;
        SplittableRandom rng = new SplittableRandom(seed);
        this.base = Init.base(config, rng);
        this.adapterTensors = Init.adapter(config, rng);
        wire();
    }

    /** Builds the adapter objects, the parameter list and the freezing from the current tensors. */
    private void wire() {
        ModelConfig c = config;
        boolean adapted = c.hasAdapter();
        adapters = new FfnAdapter[c.layers()][];
        if (adapted) {
            float scale = (float) (c.loraAlpha() / c.loraRank());
            for (int l = 0; l < c.layers(); l++) {
                adapters[l] = new FfnAdapter[2];
                for (int w = 1; w <= 2; w++) {
                    String p = Layout.prefix(l, w);
                    Tensor a = adapterTensors.get(p + "lora_a");
                    Tensor b = adapterTensors.get(p + "lora_b");
                    adapters[l][w - 1] = Layout.masked(c)
                            ? new MaskedAdapter(p, a, b, adapterTensors.get(p + "lora_mask"), scale)
                            : new FlyLoraAdapter(p, a, b, adapterTensors.get(p + "lora_bias"), c.loraTopk(), scale);
                }
            }
        }
        List<Parameter> ps = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : base.entrySet()) {
            e.getValue().requiresGrad(!adapted);
            ps.add(new Parameter(e.getKey(), e.getValue(), decays(e.getKey(), e.getValue())));
        }
        for (Map.Entry<String, Tensor> e : adapterTensors.entrySet()) {
            String name = e.getKey();
            boolean trains = name.endsWith(".lora_b") || (name.endsWith(".lora_a") && Layout.masked(c));
            e.getValue().requiresGrad(trains);
            if (Layout.isParameter(name)) {
                ps.add(new Parameter(name, e.getValue(), true));
            }
        }
        parameters = Collections.unmodifiableList(ps);
        decoder = null;
    }

    /**
     * Weight decay on matrices only, never on embeddings, norms or biases (spec section 5). An untied
     * {@code lm_head.weight} is the head's matrix, not an embedding, so it decays (docs/SPEC-NOTES.md).
     */
    private static boolean decays(String name, Tensor t) {
        return t.rank() >= 2 && !name.equals("tok_embeddings.weight");
    }

    /** The adapter on layer {@code layer}'s W1 ({@code which} 0) or W2 (1), or null. */
    FfnAdapter adapter(int layer, int which) {
        return adapters[layer] == null ? null : adapters[layer][which];
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public Tensor hidden(Graph g, IntTensor ids) {
        ModelConfig c = config;
        checkIds(ids, c);
        return hidden(g, ids, c, activation(c));
    }

    private Tensor hidden(Graph g, IntTensor ids, ModelConfig c, Activation act) {
        Map<String, Double> options = c.activationOptions();
        float eps = (float) c.normEps();
        float theta = (float) c.ropeTheta();
        float dropout = (float) c.dropout();
        Tensor h = g.embedding(base.get("tok_embeddings.weight"), ids);
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            Tensor a = g.layerNorm(h, base.get(p + "attn_norm.weight"), base.get(p + "attn_norm.bias"), eps);
            Tensor[] qkv = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                qkv[i] = g.splitHeads(g.linear(a, base.get(p + "attn." + ATTN[i] + ".weight")), c.heads());
            }
            Tensor q = g.rope(qkv[0], 0, theta);
            Tensor k = g.rope(qkv[1], 0, theta);
            Tensor o = g.mergeHeads(g.causalAttention(q, k, qkv[2], dropout));
            h = g.add(h, g.linear(o, base.get(p + "attn.wo.weight")));
            Tensor fIn = g.layerNorm(h, base.get(p + "ffn_norm.weight"), base.get(p + "ffn_norm.bias"), eps);
            Tensor u = ffnLinear(g, fIn, l, 0);
            Tensor z = g.activation(u, act, options);
            h = g.add(h, ffnLinear(g, z, l, 1));
        }
        return g.layerNorm(h, base.get("norm.weight"), base.get("norm.bias"), eps);
    }

    private Tensor ffnLinear(Graph g, Tensor x, int layer, int which) {
        Tensor w = base.get("layers." + layer + ".ffn.w" + (which + 1) + ".weight");
        FfnAdapter[] a = adapters[layer];
        return a == null ? g.linear(x, w) : a[which].linear(g, x, w);
    }

    @Override
    public Tensor forward(Graph g, IntTensor ids) {
        return head(g, hidden(g, ids));
    }

    @Override
    public Tensor head(Graph g, Tensor hidden) {
        ModelConfig c = config;
        return g.linear(hidden, base.get(c.tieEmbeddings() ? "tok_embeddings.weight" : "lm_head.weight"));
    }

    @Override
    public void afterStep() {
        for (FfnAdapter[] pair : adapters) {
            if (pair != null) {
                pair[0].afterStep();
                pair[1].afterStep();
            }
        }
    }

    @Override
    public void afterSkippedStep() {
        for (FfnAdapter[] pair : adapters) {
            if (pair != null) {
                pair[0].afterSkippedStep();
                pair[1].afterSkippedStep();
            }
        }
    }

    @Override
    public synchronized int[] generate(int[] prompt, SamplingOptions o, TokenSink sink) {
        ModelConfig c = config;
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("generate: the prompt needs at least one token");
        }
        for (int i = 0; i < prompt.length; i++) {
            checkId(prompt[i], c, "prompt position " + i);
        }
        Activation act = activation(c);
        Map<String, Double> options = c.activationOptions();
        if (decoder == null) {
            decoder = new Decoder(c, base, adapters);
            sampler = new Sampler(c.vocabSize());
        }
        Decoder dec = decoder;
        RowTeam team = RowTeam.shared();
        boolean teamed = team != null && team.acquire();
        dec.useTeam(teamed ? team : null);
        try {
            return decode(dec, prompt, o, sink, act, options);
        } catch (RuntimeException e) {
            throw ActivationFault.named(e, act, c.activation());
        } finally {
            dec.useTeam(null);
            if (teamed) {
                team.release();
            }
        }
    }

    private int[] decode(Decoder dec, int[] prompt, SamplingOptions o, TokenSink sink, Activation act,
                         Map<String, Double> options) {
        dec.prepare();
        sampler.reset();
        // both grow as tokens come: max_tokens is a bound, which may be far beyond what is generated
        int[] seq = Arrays.copyOf(prompt, prompt.length + Math.min(o.maxTokens(), FIRST_ROOM));
        int len = prompt.length;
        for (int t : prompt) {
            sampler.observe(t);
        }
        int[] out = new int[Math.min(o.maxTokens(), FIRST_ROOM)];
        int n = 0;
        if (o.maxTokens() == 0) {
            return out;
        }
        prefill(dec, seq, Math.max(0, len - dec.context()), len, act, options);
        SplittableRandom rng = new SplittableRandom(o.seed());
        while (n < o.maxTokens()) {
            requireFinite(dec.logits(), n, act);
            int token = sampler.pick(dec.logits(), o, rng);
            if (o.isStopToken(token)) {
                break;
            }
            out = room(out, n);
            seq = room(seq, len);
            out[n++] = token;
            seq[len++] = token;
            sampler.observe(token);
            if (sink != null) {
                sink.accept(n - 1, token);
            }
            // the state that chose the token, before the token is read: no pass is spent on a stop (SPEC-NOTES)
            if (o.regulator() != null && o.regulator().shouldStop(n, token, dec.hidden())) {
                break;
            }
            if (n == o.maxTokens()) {
                break;
            }
            if (dec.length() == dec.context()) {
                // the cache is full: keep the last half of the text and rebuild the cache from it
                dec.prepare();
                prefill(dec, seq, len - Math.max(1, dec.context() / 2), len, act, options);
            } else {
                long start = System.nanoTime();
                dec.run(seq, len - 1, 1, true, act, options);
                dec.timed(System.nanoTime() - start);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code a}, or a copy twice as long when its {@code used} places are all taken. */
    private static int[] room(int[] a, int used) {
        return used < a.length ? a : Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, 2L * a.length)));
    }

    /** Fills the empty cache with {@code seq[from, to)}, a block at a time, and leaves the last position's logits. */
    private static void prefill(Decoder dec, int[] seq, int from, int to, Activation act, Map<String, Double> options) {
        for (int i = from; i < to; i += Decoder.BLOCK) {
            int count = Math.min(Decoder.BLOCK, to - i);
            dec.run(seq, i, count, i + count == to, act, options);
        }
    }

    @Override
    public Map<String, Tensor> weights(boolean adapter) {
        return Collections.unmodifiableMap(adapter ? adapterTensors : base);
    }

    @Override
    public synchronized void loadWeights(Map<String, Tensor> weights, boolean adapter, boolean partial, String source) {
        Map<String, Tensor> target = adapter ? adapterTensors : base;
        if (adapter && target.isEmpty()) {
            throw new IllegalArgumentException(source + ": adapter weights given, but the model has no adapter");
        }
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            Tensor t = target.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "': not a"
                        + (adapter ? "n adapter" : " base") + " weight of this model");
            }
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "': shape "
                        + e.getValue().shapeString() + " does not match the model's " + t.shapeString());
            }
        }
        if (!partial) {
            for (String name : target.keySet()) {
                if (!weights.containsKey(name)) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "': missing");
                }
            }
        }
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            target.get(e.getKey()).copyFrom(e.getValue());
        }
    }

    @Override
    public synchronized void mergeAdapter() {
        ModelConfig c = config;
        if (!c.hasAdapter()) {
            return;
        }
        if (!Layout.masked(c)) {
            // masked adapters merge exactly; FlyLoRA's input-dependent routing cannot, so it is refused up front
            adapters[0][0].mergeInto(base.get("layers.0.ffn.w1.weight"));
        }
        for (int l = 0; l < c.layers(); l++) {
            for (int w = 0; w < 2; w++) {
                adapters[l][w].mergeInto(base.get("layers." + l + ".ffn.w" + (w + 1) + ".weight"));
            }
        }
        config = c.with("adapter", null).with("lora_rank", null).with("lora_alpha", null)
                .with("lora_sparsity", null).with("lora_topk", null);
        adapterTensors = new LinkedHashMap<>();
        wire();
    }

    /** Sampling from NaN picks a token all the same: garbage, given as text, with no word of why. */
    private void requireFinite(float[] logits, int n, Activation act) {
        for (float v : logits) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("token " + (n + 1) + ": the model's output is not finite (" + v
                        + "): its weights, or its " + ActivationFault.describe(act, config.activation())
                        + ", give it for this text; nothing more is generated");
            }
        }
    }

    private Activation activation(ModelConfig c) {
        String name = c.activation();
        Activation a = activations.apply(name);
        if (a == null) {
            throw new IllegalStateException("no activation service '" + name + "' is available (a service with "
                    + Activation.PROPERTY + "=" + name + "); install and start its bundle, or choose another activation");
        }
        return a;
    }

    private static void checkIds(IntTensor ids, ModelConfig c) {
        if (ids.rank() != 2) {
            throw new IllegalArgumentException("forward: token ids must be [B, T], got " + ids.shapeString());
        }
        if (ids.dim(1) > c.context()) {
            throw new IllegalArgumentException("forward: " + ids.dim(1) + " positions exceed the context of " + c.context());
        }
        int[] d = ids.data();
        for (int i = 0; i < d.length; i++) {
            checkId(d[i], c, "ids position " + i);
        }
    }

    private static void checkId(int id, ModelConfig c, String where) {
        if (id < 0 || id >= c.vocabSize()) {
            throw new IllegalArgumentException(where + ": token id " + id + " is outside the vocabulary [0, " + c.vocabSize() + ")");
        }
    }
}

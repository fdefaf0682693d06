package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.metacog.GenerationRegulator;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The meta head of spec section 6: its weights, and assessment of single hidden states. */
public final class SpecMetaHead implements MetaHead {
    /** Units of the error projection (spec section 6). */
    public static final int ERROR_UNITS = 256;
    public static final String ERROR_PROJ = "meta.error_proj";
    public static final String ERROR_CLS = "meta.error_cls";
    public static final String CONFIDENCE = "meta.confidence";
    public static final String TERMINATE = "meta.terminate";
    /** The metadata key listing the outputs that were trained. */
    public static final String TRAINED = "vesper.meta.trained";

    private final int dModel;
    private final ComputeBackend backend;
    private final Activation gelu;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SpecMetaHead(int dModel, ComputeBackend backend, Activation gelu) {
        if (dModel <= 0) {
            throw new IllegalArgumentException("d_model must be > 0, got " + dModel);
        }
        this.dModel = dModel;
        this.backend = backend;
        this.gelu = gelu;
        int e = ERROR_UNITS;
        int classes = Assessment.ERROR_CLASSES.length;
        this.parameters = List.of(
                parameter(ERROR_PROJ + ".weight", true, e, dModel), parameter(ERROR_PROJ + ".bias", false, e),
                parameter(ERROR_CLS + ".weight", true, classes, e), parameter(ERROR_CLS + ".bias", false, classes),
                parameter(CONFIDENCE + ".weight", true, 1, dModel), parameter(CONFIDENCE + ".bias", false, 1),
                parameter(TERMINATE + ".weight", true, 1, dModel), parameter(TERMINATE + ".bias", false, 1));
        for (Parameter p : parameters) {
            byName.put(p.name(), p);
        }
    }

    private static Parameter parameter(String name, boolean decay, int... shape) {
        return new Parameter(name, Tensor.zeros(shape), decay);
    }

    /**
     * A new head: the matrices that read {@code h} drawn from N(0, 0.02²) as the model's linear layers,
     * biases zero, and the error classifier zero, so that an untrained head says 1/3 for each class
     * and never blocks the regulator on its own.
     */
    public static SpecMetaHead create(int dModel, long seed, ComputeBackend backend, Activation gelu) {
        SpecMetaHead head = new SpecMetaHead(dModel, backend, gelu);
        Random random = new Random(seed);
        for (String name : List.of(ERROR_PROJ, CONFIDENCE, TERMINATE)) {
            float[] w = head.tensor(name + ".weight").data();
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (0.02 * random.nextGaussian());
            }
        }
        return head;
    }

    /** A head whose weights are then filled by {@link #tensor}; all zero until then. */
    public static SpecMetaHead empty(int dModel, ComputeBackend backend, Activation gelu) {
        return new SpecMetaHead(dModel, backend, gelu);
    }

    @Override
    public int dModel() {
        return dModel;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    /** Records a fact about the head, kept in its file's metadata. */
    public void note(String key, String value) {
        metadata.put(key, value);
    }

    /** A weight by its spec name. */
    public Tensor tensor(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("the meta head has no tensor '" + name + "'");
        }
        return p.value();
    }

    ComputeBackend backend() {
        return backend;
    }

    Activation gelu() {
        return gelu;
    }

    @Override
    public Assessment assess(float[] hidden) {
        if (hidden.length != dModel) {
            throw new IllegalArgumentException("a hidden state of width " + hidden.length
                    + " for a meta head of d_model " + dModel);
        }
        MetaPass pass = new MetaPass(this, 1);
        pass.forward(MetaPass.matrix(hidden, 1, dModel));
        return pass.assessment(0);
    }

    @Override
    public GenerationRegulator regulator(int minTokens) {
        return new SatisficingRegulator(this, minTokens);
    }
}

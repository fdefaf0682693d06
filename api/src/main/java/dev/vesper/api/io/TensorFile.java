package dev.vesper.api.io;

import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a SafeTensors file: floating tensors (F32, or F16/BF16 widened on read),
 * integer tensors (I64/I32, narrowed to int on read with a range check) and the string metadata.
 */
public final class TensorFile {
    private final Map<String, Tensor> floats;
    private final Map<String, IntTensor> ints;
    private final Map<String, String> metadata;

    public TensorFile(Map<String, Tensor> floats, Map<String, IntTensor> ints, Map<String, String> metadata) {
        this.floats = Collections.unmodifiableMap(new LinkedHashMap<>(floats));
        this.ints = Collections.unmodifiableMap(new LinkedHashMap<>(ints));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static TensorFile of(Map<String, Tensor> floats, Map<String, String> metadata) {
        return new TensorFile(floats, Map.of(), metadata);
    }

    public Map<String, Tensor> floats() {
        return floats;
    }

    public Map<String, IntTensor> ints() {
        return ints;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** A floating tensor by name. @throws IllegalArgumentException naming it when absent */
    public Tensor tensor(String name) {
        Tensor t = floats.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return t;
    }
}

package dev.vesper.onnx.internal;

import dev.vesper.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/** The model's tensors by spec name (section 7), checked for presence and shape as they are taken. */
final class Weights {
    private final Map<String, Tensor> base;
    private final Map<String, Tensor> adapter;

    Weights(Map<String, Tensor> base, Map<String, Tensor> adapter) {
        this.base = base;
        this.adapter = adapter;
    }

    Tensor base(String name, int... shape) {
        return check(base, name, "base", shape);
    }

    Tensor adapter(String name, int... shape) {
        return check(adapter, name, "adapter", shape);
    }

    private static Tensor check(Map<String, Tensor> map, String name, String kind, int... shape) {
        Tensor t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException("onnx export: the model has no " + kind + " tensor '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("onnx export: tensor '" + name + "' is " + t.shapeString()
                    + ", the configuration implies " + Arrays.toString(shape));
        }
        return t;
    }
}

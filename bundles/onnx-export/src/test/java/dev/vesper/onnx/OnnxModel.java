package dev.vesper.onnx;

import dev.vesper.onnx.ProtoReader.Field;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX file as the tests read it, decoded by field number from onnx.proto: the model header, the
 * graph's nodes with their attributes, the initializers, and the inputs' and outputs' types.
 */
final class OnnxModel {
    record Node(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        long i(String name, long fallback) {
            Object v = attributes.get(name);
            return v == null ? fallback : (Long) v;
        }

        float f(String name, float fallback) {
            Object v = attributes.get(name);
            return v == null ? fallback : (Float) v;
        }

        @SuppressWarnings("unchecked")
        List<Long> ints(String name) {
            return (List<Long>) attributes.get(name);
        }
    }

    /** A graph input or output: element type and dims, each a Long size or a String symbol. */
    record ValueInfo(String name, int elemType, List<Object> dims) {
    }

    long irVersion;
    String producer;
    final Map<String, Long> opsets = new LinkedHashMap<>();
    final List<Node> nodes = new ArrayList<>();
    final Map<String, Value> initializers = new LinkedHashMap<>();
    final List<ValueInfo> inputs = new ArrayList<>();
    final List<ValueInfo> outputs = new ArrayList<>();

    static OnnxModel read(Path file) throws IOException {
        OnnxModel m = new OnnxModel();
        for (Field f : new ProtoReader(Files.readAllBytes(file)).fields()) {
            switch (f.number()) {
                case 1 -> m.irVersion = f.value();
                case 2 -> m.producer = f.string();
                case 7 -> m.graph(f.message());
                case 8 -> m.opset(f.message());
                default -> { }
            }
        }
        return m;
    }

    private void opset(ProtoReader r) {
        String domain = "";
        long version = 0;
        for (Field f : r.fields()) {
            if (f.number() == 1) {
                domain = f.string();
            } else if (f.number() == 2) {
                version = f.value();
            }
        }
        opsets.put(domain, version);
    }

    private void graph(ProtoReader r) {
        for (Field f : r.fields()) {
            switch (f.number()) {
                case 1 -> nodes.add(node(f.message()));
                case 5 -> tensor(f.message());
                case 11 -> inputs.add(valueInfo(f.message()));
                case 12 -> outputs.add(valueInfo(f.message()));
                default -> { }
            }
        }
    }

    private static Node node(ProtoReader r) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String op = null;
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Field f : r.fields()) {
            switch (f.number()) {
                case 1 -> in.add(f.string());
                case 2 -> out.add(f.string());
                case 4 -> op = f.string();
                case 5 -> attribute(f.message(), attrs);
                default -> { }
            }
        }
        return new Node(op, in, out, attrs);
    }

    private static void attribute(ProtoReader r, Map<String, Object> attrs) {
        String name = null;
        Object value = null;
        long type = 0;
        for (Field f : r.fields()) {
            switch (f.number()) {
                case 1 -> name = f.string();
                case 2 -> value = f.float32();
                case 3 -> value = f.value();
                case 8 -> value = f.int64s();
                case 20 -> type = f.value();
                default -> throw new IllegalStateException("unexpected attribute field " + f.number());
            }
        }
        if (type == 0) {
            throw new IllegalStateException("attribute " + name + " has no type");
        }
        attrs.put(name, value);
    }

    private void tensor(ProtoReader r) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        byte[] raw = null;
        for (Field f : r.fields()) {
            switch (f.number()) {
                case 1 -> dims.addAll(f.int64s());
                case 2 -> type = (int) f.value();
                case 8 -> name = f.string();
                case 9 -> raw = f.bytes();
                default -> throw new IllegalStateException("unexpected tensor field " + f.number());
            }
        }
        int[] shape = dims.stream().mapToInt(Long::intValue).toArray();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Value v;
        if (type == 1) {
            float[] data = new float[raw.length / 4];
            b.asFloatBuffer().get(data);
            v = Value.floats(shape, data);
        } else if (type == 7) {
            long[] data = new long[raw.length / 8];
            b.asLongBuffer().get(data);
            v = Value.longs(shape, data);
        } else {
            throw new IllegalStateException("initializer " + name + ": data type " + type);
        }
        initializers.put(name, v);
    }

    private static ValueInfo valueInfo(ProtoReader r) {
        String name = null;
        int elem = 0;
        List<Object> dims = new ArrayList<>();
        for (Field f : r.fields()) {
            if (f.number() == 1) {
                name = f.string();
            } else if (f.number() == 2) {
                for (Field t : f.message().fields()) {          // TypeProto.tensor_type
                    for (Field tt : t.message().fields()) {
                        if (tt.number() == 1) {
                            elem = (int) tt.value();
                        } else if (tt.number() == 2) {          // TensorShapeProto.dim
                            for (Field dim : tt.message().fields()) {
                                for (Field dv : dim.message().fields()) {
                                    dims.add(dv.number() == 1 ? (Object) dv.value() : dv.string());
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ValueInfo(name, elem, dims);
    }
}

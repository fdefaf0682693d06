package dev.vesper.onnx.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a GraphProto: nodes in topological order (each is appended after its inputs exist),
 * initializers, and the graph's inputs and outputs. Every node gets a fresh output name, so the graph
 * is in single-assignment form as ONNX requires.
 */
final class OnnxGraph {
    private final String name;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Map<String, String> constants = new HashMap<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A node with one output; returns the output's name. */
    String op(String opType, List<String> in, Attr... attrs) {
        return ops(opType, 1, in, attrs)[0];
    }

    /** A node with {@code outputs} outputs; returns their names. */
    String[] ops(String opType, int outputs, List<String> in, Attr... attrs) {
        String node = opType + "_" + counter++;
        String[] out = new String[outputs];
        ProtoWriter w = new ProtoWriter();
        for (String i : in) {
            w.string(Onnx.NODE_INPUT, i);
        }
        for (int o = 0; o < outputs; o++) {
            out[o] = outputs == 1 ? node : node + "_" + o;
            w.string(Onnx.NODE_OUTPUT, out[o]);
        }
        w.string(Onnx.NODE_NAME, node).string(Onnx.NODE_OP_TYPE, opType);
        for (Attr a : attrs) {
            w.message(Onnx.NODE_ATTRIBUTE, a.proto());
        }
        nodes.add(w.toByteArray());
        return out;
    }

    /** Renames a value by an Identity node, so that a graph output gets its public name. */
    void identity(String from, String to) {
        nodes.add(new ProtoWriter().string(Onnx.NODE_INPUT, from).string(Onnx.NODE_OUTPUT, to)
                .string(Onnx.NODE_NAME, "Identity_" + to).string(Onnx.NODE_OP_TYPE, "Identity").toByteArray());
    }

    /** A float initializer; returns its name. */
    String weight(String name, Floats values, long... dims) {
        initializers.add(Initializer.floats(name, values, dims));
        return name;
    }

    /** A float scalar constant, shared by every use of the same value. */
    String scalar(float value) {
        return constants.computeIfAbsent("f" + Float.floatToRawIntBits(value),
                k -> weight("const_" + k, Floats.of(value)));
    }

    /** A 1-D int64 constant (axes, shapes, slice bounds), shared by every use of the same values. */
    String ints(long... values) {
        StringBuilder key = new StringBuilder("i");
        for (long v : values) {
            key.append('_').append(v < 0 ? "m" + -v : String.valueOf(v));
        }
        return constants.computeIfAbsent(key.toString(), k -> {
            String n = "const_" + k;
            initializers.add(Initializer.longs(n, values, values.length));
            return n;
        });
    }

    /** A graph input; a dimension is a {@code Long} size or a {@code String} symbolic name. */
    void input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = d instanceof String s ? new ProtoWriter().string(Onnx.DIM_PARAM, s)
                    : new ProtoWriter().int64(Onnx.DIM_VALUE, ((Number) d).longValue());
            shape.message(Onnx.SHAPE_DIM, dim);
        }
        ProtoWriter tensor = new ProtoWriter().int64(Onnx.TENSOR_TYPE_ELEM_TYPE, elemType)
                .message(Onnx.TENSOR_TYPE_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(Onnx.TYPE_TENSOR, tensor);
        return new ProtoWriter().string(Onnx.VALUE_NAME, name).message(Onnx.VALUE_TYPE, type).toByteArray();
    }

    /** The encoded GraphProto's size in bytes, without its own key and length. */
    long size() {
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        long n = ProtoWriter.lengthPrefixSize(Onnx.GRAPH_NAME, nameBytes) + nameBytes;
        for (byte[] b : nodes) {
            n += ProtoWriter.lengthPrefixSize(Onnx.GRAPH_NODE, b.length) + b.length;
        }
        for (Initializer i : initializers) {
            long s = i.size();
            n += ProtoWriter.lengthPrefixSize(Onnx.GRAPH_INITIALIZER, s) + s;
        }
        for (byte[] b : inputs) {
            n += ProtoWriter.lengthPrefixSize(Onnx.GRAPH_INPUT, b.length) + b.length;
        }
        for (byte[] b : outputs) {
            n += ProtoWriter.lengthPrefixSize(Onnx.GRAPH_OUTPUT, b.length) + b.length;
        }
        return n;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(new ProtoWriter().string(Onnx.GRAPH_NAME, name).toByteArray());
        writeAll(out, Onnx.GRAPH_NODE, nodes);
        for (Initializer i : initializers) {
            ProtoWriter.lengthPrefix(out, Onnx.GRAPH_INITIALIZER, i.size());
            i.writeTo(out);
        }
        writeAll(out, Onnx.GRAPH_INPUT, inputs);
        writeAll(out, Onnx.GRAPH_OUTPUT, outputs);
    }

    private static void writeAll(OutputStream out, int field, List<byte[]> messages) throws IOException {
        for (byte[] b : messages) {
            ProtoWriter.lengthPrefix(out, field, b.length);
            out.write(b);
        }
    }
}

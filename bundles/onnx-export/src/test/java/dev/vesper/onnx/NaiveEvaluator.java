package dev.vesper.onnx;

import dev.vesper.onnx.OnnxModel.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-loop interpreter for exactly the ONNX operators the exporter emits, following the operator
 * definitions of opset 17 (numpy broadcasting, Reshape's 0, TopK's lower-index tie rule). It is the
 * test oracle: slow and obvious. Every element is rounded to float after each operator, as a float32
 * runtime would; sums run in double. Attributes outside what the exporter uses fail loudly.
 */
final class NaiveEvaluator {
    private final OnnxModel model;

    NaiveEvaluator(OnnxModel model) {
        this.model = model;
    }

    /** Runs the graph on {@code ids [B, T]} and returns the output {@code logits}. */
    Value run(int[][] ids) {
        int b = ids.length;
        int t = ids[0].length;
        long[] data = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                data[i * t + j] = ids[i][j];
            }
        }
        Map<String, Value> env = new HashMap<>(model.initializers);
        env.put(model.inputs.get(0).name(), Value.longs(new int[] {b, t}, data));
        for (Node n : model.nodes) {
            List<Value> in = new ArrayList<>();
            for (String name : n.inputs()) {
                Value v = env.get(name);
                if (v == null) {
                    throw new IllegalStateException(n.opType() + " reads '" + name + "' before it is defined");
                }
                in.add(v);
            }
            Value[] out = eval(n, in);
            for (int i = 0; i < n.outputs().size(); i++) {
                if (env.put(n.outputs().get(i), out[i]) != null) {
                    throw new IllegalStateException("'" + n.outputs().get(i) + "' assigned twice");
                }
            }
        }
        return env.get(model.outputs.get(0).name());
    }

    private static Value[] eval(Node n, List<Value> in) {
        Value x = in.get(0);
        return switch (n.opType()) {
            case "Identity" -> one(x);
            case "Shape" -> one(shape(x, n));
            case "Gather" -> one(gather(x, in.get(1), n));
            case "Slice" -> one(slice(x, in.get(1).l, in.get(2).l, in.get(3).l, in.size() > 4 ? in.get(4) : null));
            case "Concat" -> one(concat(in, (int) n.i("axis", Long.MIN_VALUE)));
            case "Reshape" -> one(reshape(x, in.get(1).l, n));
            case "Transpose" -> one(transpose(x, n.ints("perm")));
            case "MatMul" -> one(matmul(x, in.get(1)));
            case "Add" -> one(binary(x, in.get(1), '+'));
            case "Sub" -> one(binary(x, in.get(1), '-'));
            case "Mul" -> one(binary(x, in.get(1), '*'));
            case "LayerNormalization" -> one(layerNorm(x, in.get(1), in.get(2), n));
            case "Softmax" -> one(softmax(x, lastAxis(n, x), false));
            case "LogSoftmax" -> one(softmax(x, lastAxis(n, x), true));
            case "ReduceSum" -> one(reduceSum(x, in.get(1).l, n.i("keepdims", 1) == 1));
            case "Sigmoid" -> one(unary(x, v -> 1 / (1 + Math.exp(-v))));
            case "Tanh" -> one(unary(x, Math::tanh));
            case "Relu" -> one(unary(x, v -> v > 0 ? v : 0));
            case "TopK" -> topK(x, in.get(1).l[0], n);
            case "OneHot" -> one(oneHot(x, in.get(1), in.get(2), n));
            default -> throw new IllegalStateException("the oracle does not know " + n.opType());
        };
    }

    private static Value[] one(Value v) {
        return new Value[] {v};
    }

    private static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    /** The operators here are only emitted over the last axis; anything else would be a surprise. */
    private static int lastAxis(Node n, Value x) {
        int a = axis(n.i("axis", -1), x.rank());
        if (a != x.rank() - 1) {
            throw new IllegalStateException(n.opType() + " over axis " + a + " of " + x);
        }
        return a;
    }

    private static Value shape(Value x, Node n) {
        int r = x.rank();
        int start = axis(n.i("start", 0), r);
        int end = n.attributes().containsKey("end") ? axis(n.i("end", r), r) : r;
        long[] out = new long[end - start];
        for (int i = start; i < end; i++) {
            out[i - start] = x.shape[i];
        }
        return Value.longs(new int[] {out.length}, out);
    }

    private static Value gather(Value data, Value idx, Node n) {
        if (n.i("axis", 0) != 0) {
            throw new IllegalStateException("Gather axis " + n.i("axis", 0));
        }
        int rows = data.shape[0];
        int row = data.size() / rows;
        int[] shape = concat(idx.shape, Arrays.copyOfRange(data.shape, 1, data.rank()));
        float[] out = new float[Value.size(shape)];
        for (int i = 0; i < idx.size(); i++) {
            long k = idx.l[i] < 0 ? idx.l[i] + rows : idx.l[i];
            if (k < 0 || k >= rows) {
                throw new IllegalStateException("Gather index " + idx.l[i] + " outside " + rows);
            }
            System.arraycopy(data.f, (int) k * row, out, i * row, row);
        }
        return Value.floats(shape, out);
    }

    private static Value slice(Value x, long[] starts, long[] ends, long[] axes, Value steps) {
        if (steps != null) {
            throw new IllegalStateException("Slice with steps");
        }
        int r = x.rank();
        int[] lo = new int[r];
        int[] shape = x.shape.clone();
        for (int i = 0; i < axes.length; i++) {
            int a = axis(axes[i], r);
            int dim = x.shape[a];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            s = Math.max(0, Math.min(dim, s));
            e = Math.max(0, Math.min(dim, e));
            lo[a] = (int) s;
            shape[a] = (int) Math.max(0, e - s);
        }
        int[] xs = Value.strides(x.shape);
        int[] os = Value.strides(shape);
        int n = Value.size(shape);
        float[] f = x.isFloat() ? new float[n] : null;
        long[] l = x.isFloat() ? null : new long[n];
        for (int o = 0; o < n; o++) {
            int src = 0;
            for (int d = 0; d < r; d++) {
                src += (o / os[d] % shape[d] + lo[d]) * xs[d];
            }
            if (f != null) {
                f[o] = x.f[src];
            } else {
                l[o] = x.l[src];
            }
        }
        return f != null ? Value.floats(shape, f) : Value.longs(shape, l);
    }

    private static Value concat(List<Value> in, int axisAttr) {
        int r = in.get(0).rank();
        int a = axis(axisAttr, r);
        int[] shape = in.get(0).shape.clone();
        shape[a] = 0;
        for (Value v : in) {
            shape[a] += v.shape[a];
        }
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        boolean isF = in.get(0).isFloat();
        int n = Value.size(shape);
        float[] f = isF ? new float[n] : null;
        long[] l = isF ? null : new long[n];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Value v : in) {
                int chunk = v.size() / outer;
                if (isF) {
                    System.arraycopy(v.f, o * chunk, f, pos, chunk);
                } else {
                    System.arraycopy(v.l, o * chunk, l, pos, chunk);
                }
                pos += chunk;
            }
        }
        return isF ? Value.floats(shape, f) : Value.longs(shape, l);
    }

    private static Value reshape(Value x, long[] spec, Node n) {
        if (n.i("allowzero", 0) != 0) {
            throw new IllegalStateException("Reshape allowzero");
        }
        int[] shape = new int[spec.length];
        int infer = -1;
        int known = 1;
        for (int i = 0; i < spec.length; i++) {
            if (spec[i] == -1) {
                infer = i;
                continue;
            }
            shape[i] = spec[i] == 0 ? x.shape[i] : (int) spec[i];
            known *= shape[i];
        }
        if (infer >= 0) {
            shape[infer] = x.size() / known;
        }
        if (Value.size(shape) != x.size()) {
            throw new IllegalStateException("Reshape " + x + " to " + Arrays.toString(shape));
        }
        return Value.floats(shape, x.f.clone());
    }

    private static Value transpose(Value x, List<Long> perm) {
        int r = x.rank();
        int[] shape = new int[r];
        for (int i = 0; i < r; i++) {
            shape[i] = x.shape[perm.get(i).intValue()];
        }
        int[] xs = Value.strides(x.shape);
        int[] os = Value.strides(shape);
        float[] out = new float[x.size()];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int d = 0; d < r; d++) {
                src += (o / os[d] % shape[d]) * xs[perm.get(d).intValue()];
            }
            out[o] = x.f[src];
        }
        return Value.floats(shape, out);
    }

    /** numpy matmul for rank ≥ 2 operands, the batch dimensions broadcast. */
    private static Value matmul(Value a, Value b) {
        int m = a.shape[a.rank() - 2];
        int k = a.shape[a.rank() - 1];
        int n = b.shape[b.rank() - 1];
        if (b.shape[b.rank() - 2] != k) {
            throw new IllegalStateException("MatMul " + a + " x " + b);
        }
        int[] aBatch = Arrays.copyOf(a.shape, a.rank() - 2);
        int[] bBatch = Arrays.copyOf(b.shape, b.rank() - 2);
        int[] batch = broadcast(aBatch, bBatch);
        int[] shape = concat(batch, new int[] {m, n});
        float[] out = new float[Value.size(shape)];
        int batches = Value.size(batch);
        for (int p = 0; p < batches; p++) {
            int ao = index(p, batch, aBatch) * m * k;
            int bo = index(p, batch, bBatch) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += (double) a.f[ao + i * k + q] * b.f[bo + q * n + j];
                    }
                    out[(p * m + i) * n + j] = (float) s;
                }
            }
        }
        return Value.floats(shape, out);
    }

    private static Value binary(Value a, Value b, char op) {
        int[] shape = broadcast(a.shape, b.shape);
        float[] out = new float[Value.size(shape)];
        for (int i = 0; i < out.length; i++) {
            float x = a.f[index(i, shape, a.shape)];
            float y = b.f[index(i, shape, b.shape)];
            out[i] = switch (op) {
                case '+' -> x + y;
                case '-' -> x - y;
                default -> x * y;
            };
        }
        return Value.floats(shape, out);
    }

    private static Value unary(Value x, java.util.function.DoubleUnaryOperator fn) {
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) fn.applyAsDouble(x.f[i]);
        }
        return Value.floats(x.shape, out);
    }

    private static Value layerNorm(Value x, Value w, Value b, Node n) {
        if (axis(n.i("axis", -1), x.rank()) != x.rank() - 1 || n.i("stash_type", 1) != 1) {
            throw new IllegalStateException("LayerNormalization attributes " + n.attributes());
        }
        float eps = n.f("epsilon", 1e-5f);
        int d = x.shape[x.rank() - 1];
        float[] out = new float[x.size()];
        for (int r = 0; r < x.size() / d; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x.f[r * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double z = x.f[r * d + i] - mean;
                var += z * z;
            }
            var /= d;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < d; i++) {
                out[r * d + i] = (float) ((x.f[r * d + i] - mean) * inv * w.f[i] + b.f[i]);
            }
        }
        return Value.floats(x.shape, out);
    }

    private static Value softmax(Value x, int axis, boolean log) {
        int d = x.shape[axis];
        float[] out = new float[x.size()];
        for (int r = 0; r < x.size() / d; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < d; i++) {
                max = Math.max(max, x.f[r * d + i]);
            }
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += Math.exp(x.f[r * d + i] - max);
            }
            for (int i = 0; i < d; i++) {
                double z = x.f[r * d + i] - max;
                out[r * d + i] = (float) (log ? z - Math.log(sum) : Math.exp(z) / sum);
            }
        }
        return Value.floats(x.shape, out);
    }

    private static Value reduceSum(Value x, long[] axes, boolean keep) {
        if (axes.length != 1) {
            throw new IllegalStateException("ReduceSum over " + Arrays.toString(axes));
        }
        int a = axis(axes[0], x.rank());
        int inner = Value.size(Arrays.copyOfRange(x.shape, a + 1, x.rank()));
        int d = x.shape[a];
        int outer = x.size() / (d * inner);
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += x.f[(o * d + j) * inner + i];
                }
                out[o * inner + i] = (float) s;
            }
        }
        int[] shape = x.shape.clone();
        shape[a] = 1;
        if (!keep) {
            int[] s = new int[x.rank() - 1];
            for (int i = 0, k = 0; i < x.rank(); i++) {
                if (i != a) {
                    s[k++] = x.shape[i];
                }
            }
            shape = s;
        }
        return Value.floats(shape, out);
    }

    /** Largest first; equal values keep their order, so the lower index wins a tie (opset 11+). */
    private static Value[] topK(Value x, long k, Node n) {
        if (n.i("largest", 1) != 1 || n.i("sorted", 1) != 1) {
            throw new IllegalStateException("TopK attributes " + n.attributes());
        }
        int axis = lastAxis(n, x);
        int d = x.shape[axis];
        int rows = x.size() / d;
        int kk = (int) k;
        float[] vals = new float[rows * kk];
        long[] idx = new long[rows * kk];
        for (int r = 0; r < rows; r++) {
            final int base = r * d;
            Integer[] order = new Integer[d];
            for (int i = 0; i < d; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (p, q) -> Float.compare(x.f[base + q], x.f[base + p]));  // stable
            for (int i = 0; i < kk; i++) {
                vals[r * kk + i] = x.f[base + order[i]];
                idx[r * kk + i] = order[i];
            }
        }
        int[] shape = x.shape.clone();
        shape[axis] = kk;
        return new Value[] {Value.floats(shape, vals), Value.longs(shape.clone(), idx)};
    }

    private static Value oneHot(Value idx, Value depth, Value values, Node n) {
        if (axis(n.i("axis", -1), idx.rank() + 1) != idx.rank()) {
            throw new IllegalStateException("OneHot axis " + n.i("axis", -1));
        }
        int d = (int) depth.l[0];
        float off = values.f[0];
        float on = values.f[1];
        float[] out = new float[idx.size() * d];
        for (int i = 0; i < idx.size(); i++) {
            long k = idx.l[i] < 0 ? idx.l[i] + d : idx.l[i];
            for (int j = 0; j < d; j++) {
                out[i * d + j] = j == k ? on : off;
            }
        }
        return Value.floats(concat(idx.shape, new int[] {d}), out);
    }

    private static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalStateException("cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
            }
            out[i] = Math.max(x, y);
        }
        return out;
    }

    /** The flat index into {@code src} (broadcast to {@code shape}) of flat index {@code flat} of {@code shape}. */
    private static int index(int flat, int[] shape, int[] src) {
        int[] os = Value.strides(shape);
        int[] ss = Value.strides(src);
        int off = shape.length - src.length;
        int idx = 0;
        for (int d = off; d < shape.length; d++) {
            int c = flat / os[d] % shape[d];
            if (src[d - off] != 1) {
                idx += c * ss[d - off];
            }
        }
        return idx;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

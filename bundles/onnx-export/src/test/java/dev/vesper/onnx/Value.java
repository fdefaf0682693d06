package dev.vesper.onnx;

import java.util.Arrays;

/** A tensor in the naive evaluator: a shape and either float or int64 values, row-major. */
final class Value {
    final int[] shape;
    final float[] f;
    final long[] l;

    private Value(int[] shape, float[] f, long[] l) {
        this.shape = shape;
        this.f = f;
        this.l = l;
        if (size(shape) != (f != null ? f.length : l.length)) {
            throw new IllegalStateException("shape " + Arrays.toString(shape) + " for " + (f != null ? f.length : l.length) + " values");
        }
    }

    static Value floats(int[] shape, float[] data) {
        return new Value(shape, data, null);
    }

    static Value longs(int[] shape, long[] data) {
        return new Value(shape, null, data);
    }

    boolean isFloat() {
        return f != null;
    }

    int size() {
        return size(shape);
    }

    int rank() {
        return shape.length;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return (isFloat() ? "float" : "int64") + Arrays.toString(shape);
    }
}

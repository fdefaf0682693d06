package dev.vesper.onnx.internal;

import dev.vesper.api.tensor.Tensor;

/**
 * The values of a float initializer, read while the file is written, so that the weights are not
 * copied (or transposed) into a second buffer first: a large model then needs no extra heap.
 */
interface Floats {
    int size();

    float get(int index);

    static Floats of(float... values) {
        return new Floats() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public float get(int index) {
                return values[index];
            }
        };
    }

    static Floats of(Tensor t) {
        return new Floats() {
            @Override
            public int size() {
                return t.size();
            }

            @Override
            public float get(int index) {
                return t.get(index);
            }
        };
    }

    /** The transpose {@code [cols, rows]} of a row-major matrix {@code m [rows, cols]}. */
    static Floats transposed(Matrix m) {
        return new Floats() {
            @Override
            public int size() {
                return m.rows() * m.cols();
            }

            @Override
            public float get(int index) {
                int c = index / m.rows();
                int r = index % m.rows();
                return m.at(r, c);
            }
        };
    }
}

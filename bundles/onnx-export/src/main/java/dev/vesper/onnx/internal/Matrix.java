package dev.vesper.onnx.internal;

import dev.vesper.api.tensor.Tensor;

/** A row-major matrix read element by element: a weight as stored, or one with an adapter merged in. */
interface Matrix {
    int rows();

    int cols();

    float at(int row, int col);

    static Matrix of(Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got " + t.shapeString());
        }
        int rows = t.dim(0);
        int cols = t.dim(1);
        return new Matrix() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public float at(int row, int col) {
                return t.get(row * cols + col);
            }
        };
    }
}

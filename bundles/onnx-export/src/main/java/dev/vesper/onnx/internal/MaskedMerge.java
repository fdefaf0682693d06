package dev.vesper.onnx.internal;

import dev.vesper.api.tensor.Tensor;

/**
 * {@code W + (α/r)·(B·A) ⊙ M}, one entry at a time, each low-rank sum in double and added to the float
 * weight once, as the model folds its masked adapter for decoding.
 */
final class MaskedMerge implements Matrix {
    private final Matrix w;
    private final Tensor a;
    private final Tensor b;
    private final Tensor mask;
    private final float scale;
    private final int rank;

    MaskedMerge(Matrix w, Tensor a, Tensor b, Tensor mask, float scale) {
        this.w = w;
        this.a = a;
        this.b = b;
        this.mask = mask;
        this.scale = scale;
        this.rank = a.dim(0);
    }

    @Override
    public int rows() {
        return w.rows();
    }

    @Override
    public int cols() {
        return w.cols();
    }

    @Override
    public float at(int row, int col) {
        float m = mask.get(row * cols() + col);
        if (m == 0f) {
            return w.at(row, col);
        }
        double s = 0;
        for (int j = 0; j < rank; j++) {
            s += (double) b.get(row * rank + j) * a.get(j * cols() + col);
        }
        return w.at(row, col) + (float) (scale * s * m);
    }
}

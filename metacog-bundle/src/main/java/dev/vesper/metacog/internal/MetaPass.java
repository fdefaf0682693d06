package dev.vesper.metacog.internal;

import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;

/**
 * The meta head's forward and backward over up to {@code capacity} rows of hidden states, with
 * buffers kept from call to call. The products go through the compute backend.
 */
final class MetaPass {
    private static final int E = SpecMetaHead.ERROR_UNITS;
    private static final int CLASSES = Assessment.ERROR_CLASSES.length;

    private final SpecMetaHead head;
    private final ComputeBackend backend;
    private final int capacity;
    private final float[] pre;
    private final float[] act;
    private final float[] errorLogits;
    private final float[] confidenceLogits;
    private final float[] terminateLogits;
    private float[] dAct;
    private float[] dPre;
    private int rows;

    MetaPass(SpecMetaHead head, int capacity) {
        this.head = head;
        this.backend = head.backend();
        this.capacity = capacity;
        this.pre = new float[capacity * E];
        this.act = new float[capacity * E];
        this.errorLogits = new float[capacity * CLASSES];
        this.confidenceLogits = new float[capacity];
        this.terminateLogits = new float[capacity];
    }

    static Tensor matrix(float[] data, int rows, int cols) {
        return Tensor.wrap(data, 0, new int[] {rows, cols});
    }

    /** Runs the head on {@code hidden} {@code [N, d_model]}, {@code N <= capacity}. */
    void forward(Tensor hidden) {
        rows = hidden.dim(0);
        if (rows > capacity || hidden.dim(1) != head.dModel()) {
            throw new IllegalArgumentException("hidden states " + hidden.shapeString() + " for a meta pass of "
                    + capacity + " rows of " + head.dModel());
        }
        linear(hidden, SpecMetaHead.ERROR_PROJ, pre, E);
        head.gelu().forward(pre, act, E, 0, rows, Map.of()); // §3's tanh GELU, read as §6's "GELU" too
        linear(matrix(act, rows, E), SpecMetaHead.ERROR_CLS, errorLogits, CLASSES);
        linear(hidden, SpecMetaHead.CONFIDENCE, confidenceLogits, 1);
        linear(hidden, SpecMetaHead.TERMINATE, terminateLogits, 1);
    }

    /** {@code out = x·Wᵀ + b} for the layer {@code name}. */
    private void linear(Tensor x, String name, float[] out, int width) {
        backend.matmul(x, false, head.tensor(name + ".weight"), true, matrix(out, rows, width), 0f);
        float[] b = head.tensor(name + ".bias").data();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                out[r * width + j] += b[j];
            }
        }
    }

    int rows() {
        return rows;
    }

    double confidenceLogit(int row) {
        return confidenceLogits[row];
    }

    double terminateLogit(int row) {
        return terminateLogits[row];
    }

    /** The error classes' logits of a row, into {@code out}. */
    void errorLogits(int row, double[] out) {
        for (int j = 0; j < CLASSES; j++) {
            out[j] = errorLogits[row * CLASSES + j];
        }
    }

    Assessment assessment(int row) {
        double[] p = new double[CLASSES];
        errorLogits(row, p);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < CLASSES; j++) {
            p[j] = Math.exp(p[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < CLASSES; j++) {
            p[j] /= sum;
        }
        return new Assessment(Logistic.sigmoid(confidenceLogits[row]), p, Logistic.sigmoid(terminateLogits[row]));
    }

    /**
     * Adds the gradients of a loss to the weights' {@code grad()}, given its derivatives in the
     * confidence and terminate logits ({@code [N]}) and in the error logits ({@code [N, 3]}); a null
     * derivative leaves that output's weights out. Needs the {@link #forward} of the same {@code hidden}.
     */
    void backward(Tensor hidden, float[] dConfidence, float[] dTerminate, float[] dErrors) {
        if (dConfidence != null) {
            linearBackward(hidden, SpecMetaHead.CONFIDENCE, dConfidence, 1);
        }
        if (dTerminate != null) {
            linearBackward(hidden, SpecMetaHead.TERMINATE, dTerminate, 1);
        }
        if (dErrors == null) {
            return;
        }
        linearBackward(matrix(act, rows, E), SpecMetaHead.ERROR_CLS, dErrors, CLASSES);
        if (dAct == null) {
            dAct = new float[capacity * E];
            dPre = new float[capacity * E];
        }
        backend.matmul(matrix(dErrors, rows, CLASSES), false, head.tensor(SpecMetaHead.ERROR_CLS + ".weight"), false,
                matrix(dAct, rows, E), 0f);
        head.gelu().backward(pre, dAct, dPre, E, 0, rows, Map.of());
        linearBackward(hidden, SpecMetaHead.ERROR_PROJ, dPre, E);
    }

    /** {@code dW += dOutᵀ·x}, {@code db += Σ dOut} for the layer {@code name}. */
    private void linearBackward(Tensor x, String name, float[] dOut, int width) {
        Tensor w = head.tensor(name + ".weight");
        if (!w.requiresGrad()) {
            return;
        }
        backend.matmul(matrix(dOut, rows, width), true, x, false,
                Tensor.wrap(w.grad(), 0, w.shape()), 1f);
        float[] db = head.tensor(name + ".bias").grad();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                db[j] += dOut[r * width + j];
            }
        }
    }
}

package dev.vesper.api.tensor;

import java.util.Arrays;

/**
 * A dense FP32 tensor: row-major and contiguous, over a slice of a {@code float[]}.
 *
 * <p>Views ({@link #view}, {@link #rows}) share the array and cost no copy. A tensor that
 * {@linkplain #requiresGrad() requires a gradient} owns a {@link #grad()} array of the same size,
 * into which backward passes accumulate.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;
    private boolean requiresGrad;
    private float[] grad;

    private Tensor(float[] data, int offset, int[] shape) {
        this.size = Shapes.size(shape);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("tensor " + Shapes.format(shape) + " at offset " + offset
                    + " does not fit in an array of " + data.length);
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape;
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Shapes.size(s)], 0, s);
    }

    /** Wraps an array (no copy); its length must equal the shape's size. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        if (Shapes.size(s) != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.format(s) + " needs " + Shapes.size(s)
                    + " values, the array has " + data.length);
        }
        return new Tensor(data, 0, s);
    }

    /** Wraps a slice of an array (no copy), starting at {@code offset}. */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape.clone());
    }

    /** The backing array; the tensor's values are {@code data()[offset() .. offset()+size())}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    public int rank() {
        return shape.length;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code i}; negative indices count from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** A view with another shape of the same size; one dimension may be -1. */
    public Tensor view(int... newShape) {
        return new Tensor(data, offset, Shapes.resolve(newShape, size, shape));
    }

    /** A view of rows {@code [from, to)} of the first dimension. */
    public Tensor rows(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + Shapes.format(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(data, offset + from * (size / Math.max(1, shape[0])), s);
    }

    /** The element at a flat row-major index. */
    public float get(int flatIndex) {
        return data[offset + flatIndex];
    }

    public void set(int flatIndex, float value) {
        data[offset + flatIndex] = value;
    }

    /** A contiguous copy of the values. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** A new tensor holding a copy of this one's values (no gradient). */
    public Tensor copy() {
        return wrap(toArray(), shape);
    }

    /** Copies {@code other}'s values into this tensor; the sizes must match. */
    public void copyFrom(Tensor other) {
        if (other.size != size) {
            throw new IllegalArgumentException("copy: " + other.shapeString() + " into " + shapeString());
        }
        System.arraycopy(other.data, other.offset, data, offset, size);
    }

    public void fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks the tensor as a trainable leaf (or not); a frozen leaf receives no gradient. */
    public Tensor requiresGrad(boolean requires) {
        this.requiresGrad = requires;
        return this;
    }

    /** The gradient accumulated by backward passes, allocated at first use. */
    public float[] grad() {
        if (grad == null) {
            grad = new float[size];
        }
        return grad;
    }

    /** Whether a gradient array exists yet. */
    public boolean hasGrad() {
        return grad != null;
    }

    /** Replaces the gradient buffer (autograd engines lend pooled buffers to intermediates). */
    public void setGrad(float[] buffer) {
        if (buffer != null && buffer.length < size) {
            throw new IllegalArgumentException("gradient buffer of " + buffer.length + " for " + shapeString());
        }
        this.grad = buffer;
    }

    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0, size, 0f);
        }
    }

    /** The shape as {@code [2,3]}, as error messages print it. */
    public String shapeString() {
        return Shapes.format(shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}

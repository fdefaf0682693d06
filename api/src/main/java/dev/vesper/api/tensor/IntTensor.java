package dev.vesper.api.tensor;

/** A dense, row-major tensor of 32-bit integers, such as token ids {@code [batch, time]}. */
public final class IntTensor {
    private final int[] data;
    private final int[] shape;

    private IntTensor(int[] data, int[] shape) {
        if (Shapes.size(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " needs " + Shapes.size(shape)
                    + " values, the array has " + data.length);
        }
        this.data = data;
        this.shape = shape;
    }

    /** Wraps an array (no copy). */
    public static IntTensor wrap(int[] data, int... shape) {
        return new IntTensor(data, shape.clone());
    }

    public static IntTensor zeros(int... shape) {
        return new IntTensor(new int[Shapes.size(shape)], shape.clone());
    }

    public int[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    public int get(int flatIndex) {
        return data[flatIndex];
    }

    public IntTensor view(int... newShape) {
        return new IntTensor(data, Shapes.resolve(newShape, data.length, shape));
    }

    public String shapeString() {
        return Shapes.format(shape);
    }

    @Override
    public String toString() {
        return "IntTensor" + shapeString();
    }
}

package dev.vesper.tokenizer.internal;

import java.util.Arrays;

/** A growable int array. */
final class IntBuffer {
    private int[] data;
    private int size;

    IntBuffer(int capacity) {
        data = new int[Math.max(8, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
    }

    void addAll(int[] values, int count) {
        if (size + count > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + count));
        }
        System.arraycopy(values, 0, data, size, count);
        size += count;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}

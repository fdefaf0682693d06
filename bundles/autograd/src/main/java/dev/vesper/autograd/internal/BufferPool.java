package dev.vesper.autograd.internal;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays lent to graphs and returned when they close, so that a steady-state training step
 * allocates no new large arrays. Sizes are rounded up to classes ({1, 1.25, 1.5, 1.75}·2^k) so that
 * varying sequence lengths still reuse arrays; the free list is capped so a burst of odd sizes
 * cannot pin memory forever.
 *
 * <p>The free arrays are held softly, all together: a training step touches them every few
 * milliseconds, so the collector keeps them while one runs, but when memory runs short (a larger
 * model after a tiny run, in one shell) it takes them rather than failing for want of the heap they
 * hold, hundreds of MB after a tiny run.
 */
public final class BufferPool {
    private SoftReference<Map<Integer, ArrayDeque<float[]>>> freeLists = new SoftReference<>(new HashMap<>());
    private final long maxPooledFloats;
    private long pooledFloats;
    private long newArrays;
    private long newFloats;

    public BufferPool(long maxPooledFloats) {
        this.maxPooledFloats = maxPooledFloats;
    }

    /** The array length used for a request of {@code size} floats. */
    static int sizeClass(int size) {
        if (size <= 64) {
            return Math.max(1, size);
        }
        int hi = Integer.highestOneBit(size);
        int step = hi / 4;
        long c = ((long) size + step - 1) / step * step;
        return c > Integer.MAX_VALUE - 8 ? size : (int) c;
    }

    /** An array of at least {@code size} floats; its first {@code size} are zero when {@code zero}. */
    public synchronized float[] take(int size, boolean zero) {
        int cls = sizeClass(size);
        ArrayDeque<float[]> q = free().get(cls);
        float[] a = q == null ? null : q.pollFirst();
        if (a == null) {
            newArrays++;
            newFloats += cls;
            return new float[cls];
        }
        pooledFloats -= a.length;
        if (zero) {
            Arrays.fill(a, 0, size, 0f);
        }
        return a;
    }

    public synchronized void give(float[] a) {
        if (pooledFloats + a.length > maxPooledFloats) {
            return;  // over the cap: let the collector have it
        }
        free().computeIfAbsent(a.length, k -> new ArrayDeque<>()).addFirst(a);
        pooledFloats += a.length;
    }

    /** The free lists; new, empty ones when the collector took the old. */
    private Map<Integer, ArrayDeque<float[]>> free() {
        Map<Integer, ArrayDeque<float[]>> m = freeLists.get();
        if (m == null) {
            m = new HashMap<>();
            freeLists = new SoftReference<>(m);
            pooledFloats = 0;
        }
        return m;
    }

    /** How many floats the free arrays hold together. */
    public synchronized long pooledFloats() {
        free();
        return pooledFloats;
    }

    /** The reference the free arrays are held by: for a test to do what the collector does when memory runs short. */
    synchronized SoftReference<?> freeListsReference() {
        return freeLists;
    }

    /** How many arrays the pool has had to allocate since it was made. */
    public synchronized long newArrays() {
        return newArrays;
    }

    /** How many floats those arrays hold together. */
    public synchronized long newFloats() {
        return newFloats;
    }
}

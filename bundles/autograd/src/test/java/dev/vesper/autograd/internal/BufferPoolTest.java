package dev.vesper.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void aReturnedArrayIsLentAgainZeroedWhenAsked() {
        BufferPool pool = new BufferPool(1 << 20);
        float[] a = pool.take(1000, true);
        assertEquals(BufferPool.sizeClass(1000), a.length);
        a[3] = 7f;
        pool.give(a);
        assertEquals(a.length, pool.pooledFloats());
        float[] b = pool.take(990, true);   // same size class
        assertSame(a, b);
        assertEquals(0f, b[3]);
        assertEquals(1, pool.newArrays());
        assertEquals(0, pool.pooledFloats());
    }

    @Test
    void overTheCapAnArrayIsLeftToTheCollector() {
        BufferPool pool = new BufferPool(1500);
        float[] a = pool.take(1000, false);
        float[] b = pool.take(1000, false);
        pool.give(a);
        pool.give(b);
        assertEquals(a.length, pool.pooledFloats());
        assertSame(a, pool.take(1000, false));
        assertNotSame(b, pool.take(1000, false));
    }

    @Test
    void whenMemoryRunsShortTheCollectorTakesTheFreeArraysAndThePoolGoesOn() throws InterruptedException {
        // a tiny run leaves hundreds of MB here, in sizes a larger model's run may never ask for again
        BufferPool pool = new BufferPool(1 << 24);
        WeakReference<float[]> freed = lendAndReturn(pool);
        pool.freeListsReference().clear();   // what the collector does to soft references before running out
        for (int i = 0; i < 50 && freed.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(freed.get(), "the pool still holds its free array in another way");
        assertEquals(0, pool.pooledFloats());
        float[] again = pool.take(1 << 16, false);
        assertEquals(2, pool.newArrays(), "a new array after the old ones went");
        pool.give(again);
        assertTrue(pool.pooledFloats() > 0, "the pool goes on pooling");
        assertSame(again, pool.take(1 << 16, false));
    }

    private static WeakReference<float[]> lendAndReturn(BufferPool pool) {
        float[] a = pool.take(1 << 16, false);
        pool.give(a);
        return new WeakReference<>(a);
    }
}

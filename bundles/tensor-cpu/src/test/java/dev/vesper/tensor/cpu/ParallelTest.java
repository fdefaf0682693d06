package dev.vesper.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vesper.tensor.cpu.internal.Parallel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool covers every index exactly once, runs nested calls inline and passes failures on. */
class ParallelTest {
    private final Parallel pool = new Parallel(3);

    @Test
    void everyIndexOnceAtAnySize() {
        for (int n : new int[] {0, 1, 2, 7, 13, 33, 65, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(1, n));
            pool.forRange(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "index " + i + " of " + n);
            }
        }
    }

    @Test
    void claimsHandOutEveryItemOnce() {
        for (int n : new int[] {0, 1, 2, 3, 10, 97, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(1, n));
            pool.forClaims(n, 3, claims -> {
                for (int i; (i = claims.next()) >= 0; ) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "item " + i + " of " + n);
            }
        }
    }

    @Test
    void nestedCallsComplete() {
        AtomicIntegerArray seen = new AtomicIntegerArray(64);
        pool.forRange(8, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                pool.forRange(8, 1, (f2, t2) -> {
                    for (int j = f2; j < t2; j++) {
                        seen.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(1, seen.get(i));
        }
    }

    @Test
    void failuresInATeamReachTheCaller() {
        assertThrows(IllegalStateException.class, () -> pool.forClaims(100, 3, claims -> {
            for (int i; (i = claims.next()) >= 0; ) {
                if (i == 99) {
                    throw new IllegalStateException("boom");
                }
            }
        }));
    }

    @Test
    void failuresReachTheCaller() {
        assertThrows(RuntimeException.class, () -> pool.forRange(100, 1, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("boom");
            }
        }));
    }
}

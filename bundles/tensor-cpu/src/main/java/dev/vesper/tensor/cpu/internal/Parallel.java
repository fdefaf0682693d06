package dev.vesper.tensor.cpu.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/**
 * The one thread pool of the CPU backend. The calling thread takes the first chunk itself, so a
 * pool of {@code threads − 1} workers keeps {@code threads} cores busy. Work smaller than a grain
 * and calls made from inside the pool (nested parallelism) run inline.
 */
public final class Parallel {
    /** A range body: handles items {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile Parallel shared;

    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        // Workers live long (their thread-local packing buffers are worth keeping) and the pool never
        // adds compensation threads: tasks never block inside it, nested calls run inline.
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1, Parallel::worker, null, false,
                threads - 1, threads - 1 + 4, 1, pool -> true, 1, TimeUnit.HOURS);
    }

    /** The pool sized to the machine's cores (or the system property {@code vesper.threads}). */
    public static Parallel shared() {
        Parallel p = shared;
        if (p == null) {
            synchronized (Parallel.class) {
                if (shared == null) {
                    shared = new Parallel(Integer.getInteger("vesper.threads", Runtime.getRuntime().availableProcessors()));
                }
                p = shared;
            }
        }
        return p;
    }

    private static ForkJoinWorkerThread worker(ForkJoinPool pool) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setDaemon(true);
        t.setName("vesper-cpu-" + t.getPoolIndex());
        return t;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks of at
     * least {@code grain} items. Chunk boundaries do not affect results: callers only parallelise work
     * whose outputs are disjoint, and reductions use fixed chunks of their own.
     */
    public void forRange(int n, int grain, Range body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || pool == null || inPool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = pool.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    private boolean inPool() {
        Thread t = Thread.currentThread();
        return t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPool() == pool;
    }
}

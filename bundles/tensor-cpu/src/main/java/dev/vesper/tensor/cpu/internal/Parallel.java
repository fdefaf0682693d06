package dev.vesper.tensor.cpu.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread pool of the CPU backend. A call's work is a run of items, cut into one segment per
 * thread; each thread claims its own segment's items in order, then whatever is left of the others'.
 * So the calling thread starts at once and never waits for a worker to wake (waking a parked thread
 * takes 40-70 µs on the machines we measure), a core slowed by a neighbour simply claims fewer items,
 * and consecutive calls over the same rows give each thread mostly the rows it touched last time,
 * still in its cache. (On the training step, alternating step by step with the earlier fixed halves in
 * one process, four runs gave 0.99-1.11× the speed, 1.07× on average.) A pool of {@code threads − 1} workers
 * keeps {@code threads} cores busy. Work smaller than a grain and calls made from inside the pool
 * (nested parallelism) run inline.
 */
public final class Parallel {
    /** A range body: handles items {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * A body that each participating thread runs once, taking items from {@code claims} until it is
     * empty. Per-thread set-up (a packed operand, say) goes before the first claim.
     */
    @FunctionalInterface
    public interface Team {
        void run(Claims claims);
    }

    /**
     * One thread's view of the items {@code 0..n-1} of a call, which the team hands out each exactly
     * once. Each thread owns one contiguous segment and takes its items in order, so consecutive calls
     * that split the same rows give each thread the rows it wrote last time (still in its cache); a
     * thread that runs out (the caller, while a worker is still waking up) goes on with the rest of the
     * others' segments.
     */
    public static final class Claims {
        private final Segments segments;
        private final int member;

        Claims(Segments segments, int member) {
            this.segments = segments;
            this.member = member;
        }

        /** The next unclaimed item, or {@code -1} when all are taken. */
        public int next() {
            return segments.next(member);
        }
    }

    private static final class Segments {
        private final AtomicInteger[] next;
        private final int[] end;

        Segments(int n, int count) {
            next = new AtomicInteger[count];
            end = new int[count];
            for (int s = 0; s < count; s++) {
                next[s] = new AtomicInteger((int) ((long) n * s / count));
                end[s] = (int) ((long) n * (s + 1) / count);
            }
        }

        int next(int member) {
            for (int i = 0; i < next.length; i++) {
                int s = (member + i) % next.length;
                if (next[s].get() < end[s]) {
                    int item = next[s].getAndIncrement();
                    if (item < end[s]) {
                        return item;
                    }
                }
            }
            return -1;
        }
    }

    /** Ranges per thread in {@link #forRange}: enough that a late or slowed thread takes a smaller share. */
    private static final int CHUNKS_PER_THREAD = 4;

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
     * Runs {@code body} over {@code [0, n)} in contiguous ranges of at least {@code grain} items, spread
     * over the threads. Range boundaries do not affect results: callers only parallelise work whose
     * outputs are disjoint, and reductions use fixed chunks of their own.
     */
    public void forRange(int n, int grain, Range body) {
        int most = Math.max(1, n / Math.max(1, grain));
        if (most <= 1 || pool == null || inPool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int ranges = Math.min(most, threads * CHUNKS_PER_THREAD);
        forClaims(ranges, Math.min(threads, ranges), claims -> {
            for (int r; (r = claims.next()) >= 0; ) {
                body.run((int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
            }
        });
    }

    /**
     * Runs {@code body} once on each of up to {@code team} threads (the caller included), all claiming
     * from one {@link Claims} of {@code items} items; returns when every item is done. With one thread,
     * inside the pool, or with fewer than two items, the caller runs {@code body} alone.
     */
    public void forClaims(int items, int team, Team body) {
        int helpers = pool == null || inPool() || items < 2 ? 0 : Math.min(Math.min(team, threads), items) - 1;
        Segments segments = new Segments(items, helpers + 1);
        if (helpers <= 0) {
            body.run(new Claims(segments, 0));
            return;
        }
        Helper[] started = new Helper[helpers];
        for (int h = 0; h < helpers; h++) {
            started[h] = new Helper(body, new Claims(segments, h + 1));
            pool.execute(started[h]);
        }
        Throwable failure = null;
        try {
            body.run(new Claims(segments, 0));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Helper h : started) {
            Throwable f = h.finish();
            if (failure == null) {
                failure = f;
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    private boolean inPool() {
        Thread t = Thread.currentThread();
        return t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPool() == pool;
    }

    /**
     * One worker's part of a {@link #forClaims} call. A helper that has not started by the time the
     * caller has run out of items is called off, so the caller never waits for a worker to wake up;
     * one that has started holds at most one item, which the caller waits for by spinning.
     */
    private static final class Helper implements Runnable {
        private static final int NEW = 0, RUNNING = 1, DONE = 2, CALLED_OFF = 3;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final Team body;
        private final Claims claims;
        private volatile Throwable failure;

        Helper(Team body, Claims claims) {
            this.body = body;
            this.claims = claims;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(NEW, RUNNING)) {
                return;
            }
            try {
                body.run(claims);
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                state.set(DONE);
            }
        }

        /** Waits until this helper is done or called off; returns what it threw, if anything. */
        Throwable finish() {
            if (state.compareAndSet(NEW, CALLED_OFF)) {
                return null;
            }
            for (int spins = 0; state.get() != DONE; spins++) {
                if (spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return failure;
        }
    }
}

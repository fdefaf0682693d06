package dev.vesper.model.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits the rows of a matrix-vector product between the calling thread and one helper thread, for
 * batch-1 decoding, whose products are too short for a thread pool's hand-off cost. The helper spins
 * briefly between tasks, then parks. If the helper has not picked a task up by the time the caller
 * finished its own half (a busy machine), the caller runs the other half itself, so a descheduled
 * helper never stalls decoding. One team serves the whole JVM; a decoder that cannot take it runs
 * single-threaded.
 */
public final class RowTeam {
    interface RowTask {
        void run(int from, int to);
    }

    private static final int IDLE = 0;
    private static final int POSTED = 1;
    private static final int CLAIMED = 2;
    private static final int DONE = 3;
    /** About 50 µs of spinning before the helper parks. */
    private static final int SPINS = 20_000;

    private static RowTeam shared;

    private final ReentrantLock owner = new ReentrantLock();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Thread helper;
    private volatile boolean sleeping;
    private volatile boolean stopped;
    private volatile RowTask task;
    private volatile int from;
    private volatile int to;

    private RowTeam() {
        helper = new Thread(this::work, "vesper-decode-helper");
        helper.setDaemon(true);
        helper.start();
    }

    /** The JVM's team, or null when decoding should stay on one thread (one core, or {@code vesper.decode.threads=1}). */
    static synchronized RowTeam shared() {
        if (Runtime.getRuntime().availableProcessors() < 2 || Integer.getInteger("vesper.decode.threads", 2) < 2) {
            return null;
        }
        if (shared == null) {
            shared = new RowTeam();
        }
        return shared;
    }

    /**
     * Ends the helper thread, so that a stopped or updated bundle leaves no thread behind; a decoder
     * still holding the team then runs both halves itself. The next {@link #shared()} starts a new team.
     */
    public static synchronized void shutdown() {
        if (shared != null) {
            shared.stopped = true;
            LockSupport.unpark(shared.helper);
            shared = null;
        }
    }

    /** Takes the team for one generation; false when another decoder holds it. */
    boolean acquire() {
        return owner.tryLock();
    }

    void release() {
        owner.unlock();
    }

    /** Runs {@code t} over rows {@code [0, rows)}: the first half here, the second on the helper. */
    void run(RowTask t, int rows) {
        run(t, rows, 4);
    }

    /**
     * As {@link #run(RowTask, int)}, splitting at a multiple of {@code granule} (a power of two): 4 keeps
     * each half of a weight matrix on whole groups of rows, 1 lets four attention heads split two and two.
     */
    void run(RowTask t, int rows, int granule) {
        int mid = (rows / 2 + granule - 1) & -granule;
        if (mid <= 0 || mid >= rows) {
            t.run(0, rows);
            return;
        }
        task = t;
        from = mid;
        to = rows;
        state.set(POSTED);
        if (sleeping) {
            LockSupport.unpark(helper);
        }
        boolean mine = false;
        try {
            t.run(0, mid);
            mine = state.compareAndSet(POSTED, CLAIMED);
            if (mine) {
                t.run(mid, rows);
            }
        } finally {
            // after a failure here, cancel the helper's half if it has not started, or let it finish
            if (!mine && !state.compareAndSet(POSTED, CLAIMED)) {
                while (state.get() != DONE) {
                    Thread.onSpinWait();
                }
            }
            task = null;
            state.set(IDLE);
        }
    }

    private void work() {
        while (!stopped) {
            int spins = 0;
            while (state.get() != POSTED) {
                if (stopped) {
                    return;
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    sleeping = true;
                    if (state.get() != POSTED) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    spins = 0;
                }
            }
            if (state.compareAndSet(POSTED, CLAIMED)) {
                try {
                    task.run(from, to);
                } finally {
                    state.set(DONE);
                }
            }
        }
    }
}

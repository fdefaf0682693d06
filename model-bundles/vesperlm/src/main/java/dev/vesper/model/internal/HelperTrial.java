package dev.vesper.model.internal;

/**
 * Chooses, step by step, whether a generation decodes with the helper thread or on its own thread. On a
 * machine that other processes share, the helper can cost more than it saves, so the choice is measured
 * again and again: a few steps with the helper, a few without, then a longer stretch with the faster.
 */
final class HelperTrial {
    /** Steps timed with and then without the helper; then the faster runs this many steps (about 0.3 s). */
    private static final int PROBE_STEPS = 3;
    private static final int CHOSEN_STEPS = 400;

    private enum Phase { WITH, WITHOUT, CHOSEN }

    private final RowTeam helper;
    private RowTeam team;
    private Phase phase;
    private int left;
    private long withNanos;
    private long withoutNanos;

    /** A trial of {@code helper}, or none at all (one thread throughout) when it is null. */
    HelperTrial(RowTeam helper) {
        this.helper = helper;
        probe();
    }

    /** The team the next step uses: the helper's, or null for this thread only. */
    RowTeam team() {
        return team;
    }

    /** Counts one step's time towards the choice. */
    void timed(long nanos) {
        if (helper == null) {
            return;
        }
        switch (phase) {
            case WITH -> {
                withNanos += nanos;
                if (--left == 0) {
                    phase = Phase.WITHOUT;
                    left = PROBE_STEPS;
                    team = null;
                }
            }
            case WITHOUT -> {
                withoutNanos += nanos;
                if (--left == 0) {
                    phase = Phase.CHOSEN;
                    left = CHOSEN_STEPS;
                    // the helper stays unless one thread is clearly faster: a descheduled helper costs
                    // nothing extra (the caller takes its half), while short probes are noisy
                    team = withNanos <= withoutNanos + withoutNanos / 8 ? helper : null;
                }
            }
            case CHOSEN -> {
                if (--left == 0) {
                    probe();
                }
            }
        }
    }

    private void probe() {
        phase = Phase.WITH;
        left = PROBE_STEPS;
        withNanos = 0;
        withoutNanos = 0;
        team = helper;
    }
}

package dev.vesper.model.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class HelperTrialTest {
    private static RowTeam helper() {
        RowTeam team = RowTeam.shared();
        assumeTrue(team != null, "one core: no helper to try");
        return team;
    }

    /** Three steps at {@code nanos} each, checking the team each step was given. */
    private static void steps(HelperTrial trial, RowTeam expected, long nanos) {
        for (int i = 0; i < 3; i++) {
            assertSame(expected, trial.team());
            trial.timed(nanos);
        }
    }

    @Test
    void probesWithThenWithoutAndKeepsTheHelperUnlessOneThreadIsClearlyFaster() {
        RowTeam team = helper();
        HelperTrial faster = new HelperTrial(team);
        steps(faster, team, 100);
        steps(faster, null, 110);
        assertSame(team, faster.team(), "the helper was faster");

        HelperTrial close = new HelperTrial(team);
        steps(close, team, 110);
        steps(close, null, 100);
        assertSame(team, close.team(), "within an eighth: the helper stays");

        HelperTrial slower = new HelperTrial(team);
        steps(slower, team, 200);
        steps(slower, null, 100);
        assertNull(slower.team(), "one thread was clearly faster");
        for (int i = 0; i < 399; i++) {
            slower.timed(100);
        }
        assertNull(slower.team());
        slower.timed(100);
        assertSame(team, slower.team(), "after the chosen stretch, it probes again");
    }

    @Test
    void withoutAHelperEveryStepIsThisThreads() {
        HelperTrial none = new HelperTrial(null);
        for (int i = 0; i < 10; i++) {
            assertNull(none.team());
            none.timed(100);
        }
    }
}

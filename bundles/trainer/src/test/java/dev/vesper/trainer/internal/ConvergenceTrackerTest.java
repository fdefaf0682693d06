package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvergenceTrackerTest {
    @Test
    void convergenceStepIsTheFirstEvaluationWithinToleranceOfTheBest() {
        ConvergenceTracker t = new ConvergenceTracker(0.05, 0);
        t.add(100, 5.0);
        t.add(200, 3.0);
        t.add(300, 2.08);
        t.add(400, 2.0);
        t.add(500, 2.01);
        assertEquals(2.0, t.best());
        // 2.08 <= 2.0 * 1.05 = 2.1: step 300 is the first within 5 %
        assertEquals(300, t.convergenceStep());
    }

    @Test
    void convergenceStepMovesLaterWhenTheBestImproves() {
        ConvergenceTracker t = new ConvergenceTracker(0.01, 0);
        t.add(10, 3.0);
        t.add(20, 3.01);
        assertEquals(10, t.convergenceStep());
        t.add(30, 2.0);
        assertEquals(30, t.convergenceStep());
    }

    @Test
    void nonFiniteLossesNeverCountAsBestOrConverged() {
        ConvergenceTracker t = new ConvergenceTracker(0.05, 0);
        assertEquals(-1, t.convergenceStep());
        t.add(10, Double.NaN);
        assertEquals(-1, t.convergenceStep());
        t.add(20, 4.0);
        assertEquals(20, t.convergenceStep());
    }

    @Test
    void earlyStopAfterPatienceEvaluationsWithoutImprovement() {
        ConvergenceTracker t = new ConvergenceTracker(0.05, 2);
        t.add(1, 3.0);
        t.add(2, 2.5);
        assertFalse(t.shouldStop());
        t.add(3, 2.6);
        assertFalse(t.shouldStop());
        t.add(4, 2.5);
        assertTrue(t.shouldStop());
    }

    @Test
    void patienceZeroNeverStops() {
        ConvergenceTracker t = new ConvergenceTracker(0.05, 0);
        for (int i = 0; i < 10; i++) {
            t.add(i, 1.0);
        }
        assertFalse(t.shouldStop());
    }

    @Test
    void restoreKeepsHistoryAndPatience() {
        ConvergenceTracker t = new ConvergenceTracker(0.05, 2);
        t.add(1, 3.0);
        t.add(2, 3.5);
        ConvergenceTracker u = new ConvergenceTracker(0.05, 2);
        u.restore(t.points(), t.sinceImprovement());
        u.add(3, 3.4);
        assertTrue(u.shouldStop());
        assertEquals(1, u.convergenceStep());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceTracker(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvergenceTracker(0.1, -1));
    }
}

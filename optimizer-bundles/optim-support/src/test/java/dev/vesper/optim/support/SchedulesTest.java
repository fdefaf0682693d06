package dev.vesper.optim.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    @Test
    void constantIsConstant() {
        LearningRateSchedule s = Schedules.constant(3e-4);
        assertEquals(3e-4, s.at(1));
        assertEquals(3e-4, s.at(1_000_000));
        assertThrows(IllegalArgumentException.class, () -> s.at(0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.constant(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> Schedules.constant(Double.NaN));
    }

    @Test
    void warmupIsLinearToThePeak() {
        LearningRateSchedule s = Schedules.warmupCosine(1e-3, 10, 110, 1e-4);
        assertEquals(1e-4, s.at(1), 1e-18);
        assertEquals(5e-4, s.at(5), 1e-18);
        assertEquals(1e-3, s.at(10), 0.0);
    }

    @Test
    void cosineReachesTheFloorExactlyAndNeverRebounds() {
        LearningRateSchedule s = Schedules.warmupCosine(1e-3, 10, 110, 1e-4);
        // a quarter of the way: floor + (peak - floor)·(1 + cos(π/4))/2
        assertEquals(1e-4 + 9e-4 * (1 + Math.cos(Math.PI / 4)) / 2, s.at(35), 1e-18);
        assertEquals(5.5e-4, s.at(60), 1e-18);
        assertEquals(1e-4 + 9e-4 * (1 + Math.cos(Math.PI * 99 / 100)) / 2, s.at(109), 1e-18);
        assertEquals(1e-4, s.at(110), 0.0);
        for (long step = 110; step <= 1000; step++) {
            assertEquals(1e-4, s.at(step), 0.0, "step " + step);
        }
        double previous = s.at(10);
        for (long step = 11; step <= 200; step++) {
            double lr = s.at(step);
            assertTrue(lr <= previous, "rate rose at step " + step);
            assertTrue(lr >= 1e-4, "rate below the floor at step " + step);
            previous = lr;
        }
    }

    @Test
    void withoutWarmupTheFirstStepIsAlmostThePeak() {
        LearningRateSchedule s = Schedules.warmupCosine(2e-3, 0, 100, 0);
        assertEquals(1e-3 * (1 + Math.cos(Math.PI / 100)), s.at(1), 1e-18);
        assertEquals(0.0, s.at(100), 0.0);
        assertEquals(0.0, s.at(101), 0.0);
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("peakLr", () -> Schedules.warmupCosine(-1, 0, 10, 0));
        assertMessage("floorLr", () -> Schedules.warmupCosine(1e-3, 0, 10, 2e-3));
        assertMessage("warmupSteps", () -> Schedules.warmupCosine(1e-3, -1, 10, 0));
        assertMessage("totalSteps", () -> Schedules.warmupCosine(1e-3, 20, 10, 0));
    }

    private static void assertMessage(String named, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }
}

package dev.vesper.optim.support;

import dev.vesper.api.optim.LearningRateSchedule;

/** The learning-rate schedules the trainer offers. Steps count from 1, as the optimizer's do. */
public final class Schedules {
    private Schedules() {
    }

    /** The same rate at every step. */
    public static LearningRateSchedule constant(double lr) {
        requireRate("lr", lr);
        return new LearningRateSchedule() {
            @Override
            public double at(long step) {
                requireStep(step);
                return lr;
            }

            @Override
            public String toString() {
                return "constant(" + lr + ")";
            }
        };
    }

    /**
     * Linear warmup to {@code peakLr}, then cosine decay to {@code floorLr}, then the floor for ever.
     *
     * <ul>
     *   <li>{@code step <= warmupSteps}: {@code peakLr · step / warmupSteps}, so step 1 already moves
     *       and step {@code warmupSteps} reaches the peak;</li>
     *   <li>{@code warmupSteps < step < totalSteps}: {@code floor + (peak − floor) · (1 + cos(π·q)) / 2}
     *       with {@code q = (step − warmupSteps) / (totalSteps − warmupSteps)};</li>
     *   <li>{@code step >= totalSteps}: exactly {@code floorLr}. The cosine is never evaluated past
     *       its minimum, so the rate cannot rebound when training runs past the planned end.</li>
     * </ul>
     */
    public static LearningRateSchedule warmupCosine(double peakLr, long warmupSteps, long totalSteps, double floorLr) {
        requireRate("peakLr", peakLr);
        requireRate("floorLr", floorLr);
        if (floorLr > peakLr) {
            throw new IllegalArgumentException("floorLr " + floorLr + " is above peakLr " + peakLr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < 1 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("totalSteps must be >= 1 and >= warmupSteps (" + warmupSteps
                    + "), got " + totalSteps);
        }
        return new LearningRateSchedule() {
            @Override
            public double at(long step) {
                requireStep(step);
                if (step <= warmupSteps) {
                    return peakLr * step / warmupSteps;
                }
                if (step >= totalSteps) {
                    return floorLr;
                }
                double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
                return floorLr + (peakLr - floorLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
            }

            @Override
            public String toString() {
                return "warmupCosine(peak " + peakLr + ", warmup " + warmupSteps + ", total " + totalSteps
                        + ", floor " + floorLr + ")";
            }
        };
    }

    private static void requireRate(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
        }
    }

    private static void requireStep(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step " + step + ": schedule steps count from 1");
        }
    }
}

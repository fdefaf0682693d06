package dev.vesper.trainer.internal;

import dev.vesper.api.optim.LearningRateSchedule;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.optim.support.Schedules;

/**
 * The learning-rate schedule a run follows, and what to say when it is not the one a user would expect: a
 * warmup other than the one asked for, or a resumed run's cosine stretched over another length.
 */
final class RunSchedule {
    private RunSchedule() {
    }

    static LearningRateSchedule of(TrainingConfig config, long totalSteps) {
        if (config.schedule().equals("constant")) {
            return Schedules.constant(config.learningRate());
        }
        long total = Math.max(1, totalSteps);
        // a resumed run keeps its warmup, and may be given fewer --steps than that (they count from the start)
        return Schedules.warmupCosine(config.learningRate(), Math.min(config.warmup(), total), total,
                config.learningRate() * config.minLearningRateFraction());
    }

    /**
     * What to say of a warmup other than the one asked for (the default, capped), or of one that takes the whole
     * run; or null.
     */
    static String warmupNotice(TrainingConfig config, int given, int used, long totalSteps) {
        if (config.schedule().equals("constant")) {
            return null;
        }
        if (used < given && used < totalSteps) {
            return "warmup " + used + (used == 1 ? " step" : " steps") + ": the default " + given + " capped at a third of the " + totalSteps
                    + "-step run (--warmup sets it)";
        }
        if (used >= totalSteps) {
            return "warmup " + used + (used == 1 ? " step" : " steps") + ": the whole " + totalSteps + "-step run, so the learning rate only"
                    + " climbs (a shorter --warmup, or --schedule constant, would let it decay)";
        }
        return null;
    }

    /**
     * What to say of a resumed run given another length than its checkpoint's: its cosine decays over the new
     * one ({@code now}), so the rate moves; null when it does not.
     */
    static String stretchNotice(TrainingConfig config, TrainerState at, long totalSteps, LearningRateSchedule now) {
        if (config.schedule().equals("constant") || at.totalSteps() == totalSteps) {
            return null;
        }
        long next = at.step() + 1;
        double was = of(config, at.totalSteps()).at(next) * at.lrScale();
        double then = now.at(next) * at.lrScale();
        return String.format(java.util.Locale.ROOT, "the cosine schedule now spans %d steps, not %d: the rate at"
                + " step %d is %.3g (it would have been %.3g)", totalSteps, at.totalSteps(), next, then, was);
    }
}

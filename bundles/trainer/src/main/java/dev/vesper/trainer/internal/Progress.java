package dev.vesper.trainer.internal;

/**
 * Where a run stands: the last step done, and the scale on the schedule's learning rate that recoveries
 * lower. The loop moves it on; a resume and a reload move it back; every note in the metrics file names its
 * step. Used by the job's thread only.
 */
final class Progress {
    private long step;
    private double lrScale = 1.0;

    long step() {
        return step;
    }

    /** The step about to run. */
    long next() {
        return step + 1;
    }

    void advance() {
        step++;
    }

    /** Back at an earlier step (a reload), the rate scale as it is. */
    void backTo(long step) {
        this.step = step;
    }

    /** Where a resumed run left off. */
    void restore(long step, double lrScale) {
        this.step = step;
        this.lrScale = lrScale;
    }

    double lrScale() {
        return lrScale;
    }

    void halveRate() {
        lrScale *= 0.5;
    }

    /** The scale the rate had before a series of recoveries that did not help. */
    void restoreRate(double lrScale) {
        this.lrScale = lrScale;
    }
}

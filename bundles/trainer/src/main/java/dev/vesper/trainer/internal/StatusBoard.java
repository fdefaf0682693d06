package dev.vesper.trainer.internal;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;

/**
 * What a job's status says: its state and message, its length, the figures of its last step and of its
 * last evaluation. Written by the job's thread and read by any; a change of state goes to the listeners.
 */
final class StatusBoard {
    private static final int FAST_AVERAGE_STEPS = 10;

    private final String id;
    private final Equipment equipment;
    private final Events events;

    private volatile JobState state = JobState.PREPARING;
    private volatile String message;
    private volatile long totalSteps;
    private volatile StepFigures figures = StepFigures.NONE;
    private volatile double validationLoss = Double.NaN;
    private volatile long convergenceStep = -1;
    private long stepsTimed;

    StatusBoard(String id, Equipment equipment, Events events, long totalSteps) {
        this.id = id;
        this.equipment = equipment;
        this.events = events;
        this.totalSteps = totalSteps;
    }

    JobStatus status() {
        Runtime rt = Runtime.getRuntime();
        StepFigures f = figures;
        double eta = Double.isNaN(f.msPerStep()) || state.ended() ? Double.NaN
                : Math.max(0, totalSteps - f.step()) * f.msPerStep() / 1000.0;
        return new JobStatus(id, state, f.step(), totalSteps, f.epoch(), f.loss(), f.learningRate(), f.gradNorm(),
                f.tokensPerSecond(), f.msPerStep(), rt.totalMemory() - rt.freeMemory(), eta, validationLoss, convergenceStep,
                equipment.optimizerName(), equipment.activationName(), message);
    }

    JobState state() {
        return state;
    }

    String message() {
        return message;
    }

    /** A new state, and why; the listeners are told. */
    void set(JobState s, String why) {
        state = s;
        message = why;
        events.stateChange(status());
    }

    /** A new message in the same state; the listeners are not told (see {@link #announce}). */
    void say(String why) {
        message = why;
    }

    /** Tells the listeners the status as it is. */
    void announce() {
        events.stateChange(status());
    }

    long totalSteps() {
        return totalSteps;
    }

    /** The run's length once its data is known, when it is given in epochs. */
    void totalSteps(long steps) {
        totalSteps = steps;
    }

    StepFigures figures() {
        return figures;
    }

    /** Where a resumed or reloaded run stands: its step's figures, the timing as {@code f} has it. */
    void figures(StepFigures f) {
        figures = f;
    }

    /** The figures after one more step, timed {@code ms}; a skipped step keeps the loss as it was. */
    void stepped(long step, long epoch, double loss, boolean skipped, double learningRate, double gradNorm, double ms,
                 int tokensPerStep) {
        // the first steps run while the JIT compiles the kernels, several times slower than the rest: a fast
        // average at first lets the ETA forget them within a few steps, a slow one then keeps it steady
        double weight = ++stepsTimed <= FAST_AVERAGE_STEPS ? 0.5 : 0.1;
        figures = figures.after(step, epoch, loss, skipped, learningRate, gradNorm, ms, weight, tokensPerStep);
    }

    /** The last evaluation's loss, and the run's convergence step as it stands after it. */
    void evaluated(double loss, long convergenceStep) {
        validationLoss = loss;
        this.convergenceStep = convergenceStep;
    }
}

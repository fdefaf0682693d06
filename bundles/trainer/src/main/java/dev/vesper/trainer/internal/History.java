package dev.vesper.trainer.internal;

import java.util.Arrays;

/** Training loss per step and validation loss per evaluation, for the chart. Thread-safe. */
public final class History {
    private double[] steps = new double[256];
    private double[] losses = new double[256];
    private int n;
    private double[] evalSteps = new double[16];
    private double[] evalLosses = new double[16];
    private int evals;

    public synchronized void step(long step, double loss) {
        if (n == steps.length) {
            steps = Arrays.copyOf(steps, 2 * n);
            losses = Arrays.copyOf(losses, 2 * n);
        }
        steps[n] = step;
        losses[n++] = loss;
    }

    public synchronized void eval(long step, double loss) {
        if (evals == evalSteps.length) {
            evalSteps = Arrays.copyOf(evalSteps, 2 * evals);
            evalLosses = Arrays.copyOf(evalLosses, 2 * evals);
        }
        evalSteps[evals] = step;
        evalLosses[evals++] = loss;
    }

    /** Copies: steps, losses, eval steps, eval losses. */
    public synchronized double[][] snapshot() {
        return new double[][] {Arrays.copyOf(steps, n), Arrays.copyOf(losses, n),
                Arrays.copyOf(evalSteps, evals), Arrays.copyOf(evalLosses, evals)};
    }

    public synchronized boolean isEmpty() {
        return n == 0;
    }
}

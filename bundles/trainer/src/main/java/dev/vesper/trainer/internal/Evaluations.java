package dev.vesper.trainer.internal;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.train.TrainingConfig;
import java.io.IOException;
import java.util.List;

/**
 * A run's evaluations on the validation split: when one is due, and what each found, which goes to the
 * convergence history (early stopping, the checkpoint's figures), the chart, the status and the metrics file.
 */
final class Evaluations {
    private final TrainingConfig config;
    /** Null when evaluation is off, or the validation split is too small for it. */
    private final Evaluator evaluator;
    private final ConvergenceTracker convergence;
    private final RunChart chart;
    private final StatusBoard board;
    private final Journal journal;
    private long lastStep = -1;

    Evaluations(TrainingConfig config, Evaluator evaluator, RunChart chart, StatusBoard board, Journal journal) {
        this.config = config;
        this.evaluator = evaluator;
        this.convergence = new ConvergenceTracker(config.convergenceTolerance(), config.earlyStopPatience());
        this.chart = chart;
        this.board = board;
        this.journal = journal;
    }

    /** Whether an evaluation is due after {@code step}. */
    boolean dueAt(long step) {
        return evaluator != null && config.evalEvery() > 0 && step % config.evalEvery() == 0;
    }

    /** Whether a run that ends at {@code step} evaluates once more: it took a step since its last evaluation. */
    boolean lastOneDueAt(long step) {
        return evaluator != null && config.evalEvery() > 0 && lastStep != step && step > 0;
    }

    void evaluate(LanguageModel model, long step) throws IOException {
        Evaluator.Result r = evaluator.evaluate(model);
        lastStep = step;
        convergence.add(step, r.loss());
        chart.eval(step, r.loss());
        board.evaluated(r.loss(), convergence.convergenceStep());
        journal.eval(step, r);
    }

    /** A resumed run's evaluations, as its checkpoint has them. */
    void restore(List<ConvergenceTracker.Point> evals, int sinceImprovement) {
        convergence.restore(evals, sinceImprovement);
        for (ConvergenceTracker.Point p : evals) {
            chart.eval(p.step(), p.loss());
        }
        board.evaluated(convergence.last(), convergence.convergenceStep());
        lastStep = evals.isEmpty() ? -1 : evals.get(evals.size() - 1).step();
    }

    /** Whether the early-stop patience has run out: that many evaluations in a row did not improve on the best. */
    boolean patienceRanOut() {
        return convergence.shouldStop();
    }

    /** The evaluations so far, for a checkpoint. */
    ConvergenceTracker convergence() {
        return convergence;
    }
}

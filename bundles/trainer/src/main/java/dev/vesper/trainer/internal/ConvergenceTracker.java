package dev.vesper.trainer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The validation history of a run: its best loss, its convergence step (the first evaluation whose
 * loss came within a relative tolerance of the best, which may move later as the best improves),
 * and whether patience for early stopping has run out.
 */
public final class ConvergenceTracker {
    /** One evaluation. */
    public record Point(long step, double loss) {
    }

    private final double tolerance;
    private final int patience;
    private final List<Point> points = new ArrayList<>();
    private int sinceImprovement;

    public ConvergenceTracker(double tolerance, int patience) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("convergence tolerance must be >= 0, got " + tolerance);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("early-stop patience must be >= 0, got " + patience);
        }
        this.tolerance = tolerance;
        this.patience = patience;
    }

    public void add(long step, double loss) {
        double before = best();
        points.add(new Point(step, loss));
        if (Double.isFinite(loss) && (Double.isNaN(before) || loss < before)) {
            sinceImprovement = 0;
        } else {
            sinceImprovement++;
        }
    }

    /** Restores a history written by {@link #points()} and {@link #sinceImprovement()}. */
    public void restore(List<Point> history, int since) {
        points.clear();
        points.addAll(history);
        sinceImprovement = since;
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    public int sinceImprovement() {
        return sinceImprovement;
    }

    /** The lowest finite validation loss so far, or NaN. */
    public double best() {
        double best = Double.NaN;
        for (Point p : points) {
            if (Double.isFinite(p.loss()) && (Double.isNaN(best) || p.loss() < best)) {
                best = p.loss();
            }
        }
        return best;
    }

    /** The step of the first evaluation with the best loss, or -1 when there is none. */
    public long bestStep() {
        double best = best();
        for (Point p : points) {
            if (p.loss() == best) {
                return p.step();
            }
        }
        return -1;
    }

    public double last() {
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).loss();
    }

    /** The first step whose loss is within {@code tolerance·|best|} of the best, or -1. */
    public long convergenceStep() {
        double best = best();
        if (Double.isNaN(best)) {
            return -1;
        }
        double limit = best + tolerance * Math.abs(best);
        for (Point p : points) {
            if (Double.isFinite(p.loss()) && p.loss() <= limit) {
                return p.step();
            }
        }
        return -1;
    }

    /** True once {@code patience} evaluations in a row have not improved on the best (never with patience 0). */
    public boolean shouldStop() {
        return patience > 0 && sinceImprovement >= patience;
    }
}

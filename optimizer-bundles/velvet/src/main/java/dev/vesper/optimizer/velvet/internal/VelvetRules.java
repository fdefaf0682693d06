package dev.vesper.optimizer.velvet.internal;

/** Velvet's per-step adjustments (spec section 5), as pure functions of the running means. */
final class VelvetRules {
    private VelvetRules() {
    }

    /**
     * {@code clamp(sqrt(H̄ / H), 0.5, 2.0)}: an entropy spike lowers the step, a steady decline raises
     * it. An undefined ratio (0/0, a negative or NaN entropy) leaves the rate alone (factor 1); a zero
     * entropy against a positive mean gives the upper bound.
     */
    static double entropyFactor(double entropyMean, double entropy) {
        double r = Math.sqrt(entropyMean / entropy);
        if (Double.isNaN(r)) {
            return 1.0;
        }
        return Math.min(Math.max(r, 0.5), 2.0);
    }

    /**
     * {@code ρ = clamp(5·(exp(L)/exp(L̄) − 1), 0, 1)}, computed as {@code exp(L − L̄)} so that large
     * losses cannot overflow; undefined (NaN) gives 0, no change of β1.
     */
    static double rho(double lossMean, double loss) {
        double x = 5.0 * (Math.exp(loss - lossMean) - 1.0);
        if (Double.isNaN(x)) {
            return 0.0;
        }
        return Math.min(Math.max(x, 0.0), 1.0);
    }

    /** {@code β1_t = β1 − (β1 − β1_min)·ρ}. */
    static double beta1(double beta1, double beta1Min, double rho) {
        return beta1 - (beta1 - beta1Min) * rho;
    }
}

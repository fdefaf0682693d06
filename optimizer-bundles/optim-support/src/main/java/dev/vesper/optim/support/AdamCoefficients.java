package dev.vesper.optim.support;

/**
 * The per-step scalars of the fused update, rounded to float once per step. The engine fills one
 * instance before each step; kernels only read it.
 *
 * <p>The rounding follows the golden reference (spec section 5 computed in FP32): each scalar is
 * computed in double and rounded to float, then every per-element operation is a single FP32
 * operation in the order {@code m̂ = m / (1 − c_t)}, {@code v̂ = v / (1 − β2^t)},
 * {@code p − (lr·m̂) / (sqrt(v̂) + ε)}. No fused multiply-add is used, so the vector and the scalar
 * kernels give the same bits.
 */
final class AdamCoefficients {
    float beta1;
    float oneMinusBeta1;
    float beta2;
    float oneMinusBeta2;
    float biasCorrection1;
    float biasCorrection2;
    float lr;
    float eps;
    /** {@code 1 − lr·wd} for parameters that decay. */
    float decayFactor;
    boolean sparse;
    float tau;

    void set(double lr, double beta1, double beta2, double eps, double weightDecay,
             double beta1Product, long step, boolean sparse, double tau) {
        this.beta1 = (float) beta1;
        this.oneMinusBeta1 = (float) (1.0 - beta1);
        this.beta2 = (float) beta2;
        this.oneMinusBeta2 = (float) (1.0 - beta2);
        this.biasCorrection1 = (float) (1.0 - beta1Product);
        this.biasCorrection2 = (float) (1.0 - power(beta2, step));
        this.lr = (float) lr;
        this.eps = (float) eps;
        this.decayFactor = (float) (1.0 - lr * weightDecay);
        this.sparse = sparse;
        this.tau = (float) tau;
    }

    /**
     * {@code base^exponent} by repeated squaring: plain double multiplications, so the same on every
     * JVM and free of the allocation that {@code StrictMath.pow} costs in the interpreter on JDK 17.
     */
    static double power(double base, long exponent) {
        double result = 1.0;
        double b = base;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
        }
        return result;
    }
}

package dev.vesper.optim.support;

import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;

/**
 * Global gradient-norm clipping over the trainable parameters, as {@code torch.nn.utils.clip_grad_norm_}:
 * the L2 norm of all gradients together, and when it exceeds {@code maxNorm} every gradient is scaled
 * by {@code maxNorm / (norm + 1e-6)}.
 *
 * <p>Deterministic: squares are summed in double precision in parameter order, with a fixed
 * interleaving of four partial sums, so the same gradients always give the same norm and scale.
 * Parameters that are frozen or have no gradient array yet are left out.
 */
public final class GradientClipping {
    private static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** The global L2 norm of the gradients, without changing them. */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            Tensor t = p.value();
            if (t.requiresGrad() && t.hasGrad()) {
                sum += sumOfSquares(t.grad(), t.size());
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients down so that their global norm is at most {@code maxNorm}.
     *
     * @return the norm before clipping. When it is not finite (NaN or infinite) the gradients are
     *     left as they are: the caller should treat the step as bad rather than step on them.
     * @throws IllegalArgumentException when {@code maxNorm} is not a positive number
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coefficient = maxNorm / (norm + EPSILON);
        if (coefficient < 1.0) {
            float scale = (float) coefficient;
            for (Parameter p : parameters) {
                Tensor t = p.value();
                if (t.requiresGrad() && t.hasGrad()) {
                    scale(t.grad(), t.size(), scale);
                }
            }
        }
        return norm;
    }

    private static double sumOfSquares(float[] g, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double a = g[i];
            double b = g[i + 1];
            double c = g[i + 2];
            double d = g[i + 3];
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < n; i++) {
            double a = g[i];
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void scale(float[] g, int n, float s) {
        for (int i = 0; i < n; i++) {
            g[i] *= s;
        }
    }
}

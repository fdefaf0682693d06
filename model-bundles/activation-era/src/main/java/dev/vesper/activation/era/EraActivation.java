package dev.vesper.activation.era;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * ERA, the Entropy-Regulated Activation (spec section 3): {@code y = x·σ(x/T)·(1 + γ·Ĥ)}, where
 * {@code Ĥ} is the normalised entropy of {@code softmax(x/T)} over the row's F features.
 *
 * <p>The backward pass is exact, including the path through {@code Ĥ}: with {@code z = x/T},
 * {@code p = softmax(z)}, {@code H = −Σ p ln p}, one has {@code ∂H/∂z_i = −p_i(ln p_i + H)}, so
 * {@code dx_i = s·g'_i·dy_i + γ·(Σ_j dy_j g_j)·∂Ĥ/∂x_i} with {@code g = x·σ(z)} and {@code s = 1 + γĤ}.
 * The Vector API path computes in float with vectorised exponentials; the plain path, used when
 * {@code jdk.incubator.vector} is absent, keeps row sums in double.
 */
@Component(service = Activation.class, property = Activation.PROPERTY + "=era")
public final class EraActivation implements Activation {
    public static final double DEFAULT_TEMPERATURE = 1.0;
    public static final double DEFAULT_GAMMA = 0.1;
    /** Above this row maximum of x/T, e^max would overflow a double: σ is then computed directly. */
    private static final double MAX_REUSE = 700;

    private final boolean vector;

    public EraActivation() {
        this(VectorProbe.AVAILABLE);
    }

    /** {@code vector = false} forces the plain-Java path (for tests). */
    EraActivation(boolean vector) {
        this.vector = vector && VectorProbe.AVAILABLE;
    }

    @Override
    public String name() {
        return "era";
    }

    @Override
    public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        double t = option(options, "era_temperature", DEFAULT_TEMPERATURE);
        double gamma = option(options, "era_gamma", DEFAULT_GAMMA);
        if (vector) {
            EraVector.forward(x, y, cols, rowFrom, rowTo, (float) (1 / t), (float) gamma);
            return;
        }
        double invT = 1.0 / t;
        double lnF = cols > 1 ? Math.log(cols) : 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            double max = rowMax(x, o, cols) * invT;
            // pass 1: e_i = exp(z_i − max), kept in y, gives the entropy through S = Σe and Σe·(z − max)
            double sum = 0;
            double weighted = 0;
            for (int i = o; i < o + cols; i++) {
                double z = x[i] * invT - max;
                double e = Math.exp(z);
                y[i] = (float) e;
                sum += e;
                weighted += e * z;
            }
            double scale = lnF > 0 ? 1 + gamma * (Math.log(sum) - weighted / sum) / lnF : 1;
            // pass 2: σ(z_i) from the same exponential, e^{z_i} = e_i·e^{max}, so each element costs one exp
            // (computed directly where e^max would overflow or the stored e_i lost precision as a float)
            double big = Math.exp(max);
            boolean reuse = max < MAX_REUSE;
            for (int i = o; i < o + cols; i++) {
                double u = x[i];
                double s = reuse && y[i] >= Float.MIN_NORMAL ? sigmoidFromExp(y[i] * big) : sigmoid(u * invT);
                y[i] = (float) (u * s * scale);
            }
        }
    }

    @Override
    public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        double t = option(options, "era_temperature", DEFAULT_TEMPERATURE);
        double gamma = option(options, "era_gamma", DEFAULT_GAMMA);
        if (vector) {
            EraVector.backward(x, dy, dx, cols, rowFrom, rowTo, (float) (1 / t), (float) gamma);
            return;
        }
        double invT = 1.0 / t;
        double lnF = cols > 1 ? Math.log(cols) : 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            double max = rowMax(x, o, cols) * invT;
            double big = Math.exp(max);
            boolean reuse = max < MAX_REUSE;
            // pass 1: S, Σe·(z − max) and Σ dy·g, keeping e_i in dx for pass 2
            double sum = 0;
            double weighted = 0;
            double gdy = 0;
            for (int i = o; i < o + cols; i++) {
                double z = x[i] * invT - max;
                double e = Math.exp(z);
                dx[i] = (float) e;
                sum += e;
                weighted += e * z;
                double s = reuse ? sigmoidFromExp(e * big) : sigmoid(x[i] * invT);
                gdy += dy[i] * x[i] * s;
            }
            double logSum = Math.log(sum);
            double h = logSum - weighted / sum;
            double scale = lnF > 0 ? 1 + gamma * h / lnF : 1;
            // coefficient of ∂Ĥ/∂x_i = −p_i(ln p_i + H)/(T·ln F), times γ·Σ dy·g
            double k = lnF > 0 ? -gamma * gdy * invT / lnF : 0;
            double invSum = 1 / sum;
            for (int i = o; i < o + cols; i++) {
                double z = x[i] * invT;
                double e = dx[i];
                double s = reuse && e >= Float.MIN_NORMAL ? sigmoidFromExp(e * big) : sigmoid(z);
                double gPrime = s + z * s * (1 - s);
                double logP = z - max - logSum;
                double p = e * invSum;
                dx[i] = (float) (dy[i] * scale * gPrime + k * p * (logP + h));
            }
        }
    }

    private static double rowMax(float[] x, int o, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = o; i < o + cols; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /** σ(z) given e^z; exact in double while e^z stays finite. */
    private static double sigmoidFromExp(double ez) {
        return ez / (1 + ez);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double option(Map<String, Double> options, String key, double fallback) {
        Double v = options == null ? null : options.get(key);
        return v == null ? fallback : v;
    }
}

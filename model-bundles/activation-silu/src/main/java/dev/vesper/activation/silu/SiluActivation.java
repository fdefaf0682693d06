package dev.vesper.activation.silu;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** SiLU (swish): {@code x·σ(x)}. */
@Component(service = Activation.class, property = Activation.PROPERTY + "=silu")
public final class SiluActivation implements Activation {
    private final boolean vector;

    public SiluActivation() {
        this(VectorProbe.AVAILABLE);
    }

    /** {@code vector = false} forces the plain-Java path (for tests). */
    SiluActivation(boolean vector) {
        this.vector = vector && VectorProbe.AVAILABLE;
    }

    @Override
    public String name() {
        return "silu";
    }

    @Override
    public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        if (vector) {
            SiluVector.forward(x, y, rowFrom * cols, rowTo * cols);
            return;
        }
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            double v = x[i];
            y[i] = (float) (v / (1 + Math.exp(-v)));
        }
    }

    @Override
    public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        if (vector) {
            SiluVector.backward(x, dy, dx, rowFrom * cols, rowTo * cols);
            return;
        }
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            double v = x[i];
            double s = 1 / (1 + Math.exp(-v));
            dx[i] = (float) (dy[i] * (s + v * s * (1 - s)));
        }
    }
}

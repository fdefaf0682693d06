package dev.vesper.activation.gelu;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** GELU in GPT-2's tanh form: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
@Component(service = Activation.class, property = Activation.PROPERTY + "=gelu")
public final class GeluActivation implements Activation {
    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double A = 0.044715;

    private final boolean vector;

    public GeluActivation() {
        this(VectorProbe.AVAILABLE);
    }

    /** {@code vector = false} forces the plain-Java path (for tests). */
    GeluActivation(boolean vector) {
        this.vector = vector && VectorProbe.AVAILABLE;
    }

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        if (vector) {
            GeluVector.forward(x, y, rowFrom * cols, rowTo * cols);
            return;
        }
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(C * (v + A * v * v * v))));
        }
    }

    @Override
    public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        if (vector) {
            GeluVector.backward(x, dy, dx, rowFrom * cols, rowTo * cols);
            return;
        }
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            double v = x[i];
            double t = Math.tanh(C * (v + A * v * v * v));
            double d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v);
            dx[i] = (float) (dy[i] * d);
        }
    }
}

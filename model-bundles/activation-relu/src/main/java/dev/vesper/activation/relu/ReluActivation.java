package dev.vesper.activation.relu;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** ReLU: {@code max(0, x)}; the gradient at 0 is taken as 0, as PyTorch does. */
@Component(service = Activation.class, property = Activation.PROPERTY + "=relu")
public final class ReluActivation implements Activation {
    public ReluActivation() {
    }

    @Override
    public String name() {
        return "relu";
    }

    @Override
    public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            y[i] = x[i] > 0 ? x[i] : 0f;
        }
    }

    @Override
    public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            dx[i] = x[i] > 0 ? dy[i] : 0f;
        }
    }
}

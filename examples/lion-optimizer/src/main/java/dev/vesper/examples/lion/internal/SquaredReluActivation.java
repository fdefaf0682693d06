package dev.vesper.examples.lion.internal;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Squared ReLU, {@code y = relu(x)²} (So et al. 2021, "Primer"), with {@code dy/dx = 2·relu(x)}:
 * continuous at 0, so unlike ReLU's the gradient has no jump there. Registered under
 * {@code vesper.activation=squared-relu}; it takes no options.
 */
@Component(service = Activation.class, property = Activation.PROPERTY + "=" + SquaredReluActivation.NAME)
public final class SquaredReluActivation implements Activation {
    static final String NAME = "squared-relu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            float r = x[i] > 0 ? x[i] : 0f;
            y[i] = r * r;
        }
    }

    @Override
    public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo,
                         Map<String, Double> options) {
        for (int i = rowFrom * cols, end = rowTo * cols; i < end; i++) {
            dx[i] = x[i] > 0 ? 2f * x[i] * dy[i] : 0f;
        }
    }
}

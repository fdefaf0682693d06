package dev.vesper.api.model;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An activation function, registered as a service with {@link #PROPERTY} set to its name.
 *
 * <p>It works on rows: each row is one token's hidden vector of {@code cols} features, stored
 * row-major from index 0. Implementations handle rows {@code [rowFrom, rowTo)} only, so that the
 * engine can split the work across threads; they must not allocate per element. {@code options}
 * carries the model's settings for the activation (for {@code era}: {@code era_temperature},
 * {@code era_gamma}); missing keys take the activation's defaults.
 */
@ConsumerType
public interface Activation {
    /** Service property naming the activation, for example {@code vesper.activation=era}. */
    String PROPERTY = "vesper.activation";

    String name();

    /** {@code y = act(x)} for the given rows. */
    void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options);

    /**
     * {@code dx = (∂y/∂x)ᵀ·dy} for the given rows, given the forward input {@code x}; {@code dx} is
     * overwritten, not accumulated.
     */
    void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options);
}

package dev.vesper.api.tensor;

/**
 * A named model weight, as the optimizer and checkpoints see it.
 *
 * <p>The name follows spec section 7 ({@code layers.0.attn.wq.weight}). {@code decay} says whether
 * decoupled weight decay applies by default: matrices yes; embeddings, norms and biases no.
 * A parameter is trainable while its tensor {@linkplain Tensor#requiresGrad() requires a gradient}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final boolean decay;

    public Parameter(String name, Tensor value, boolean decay) {
        this.name = name;
        this.value = value;
        this.decay = decay;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public boolean decay() {
        return decay;
    }

    public boolean trainable() {
        return value.requiresGrad();
    }

    @Override
    public String toString() {
        return name + value.shapeString();
    }
}

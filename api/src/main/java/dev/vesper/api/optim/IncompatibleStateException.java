package dev.vesper.api.optim;

/** Optimizer state that another optimizer cannot take, with the reason and the tensor at fault. */
public class IncompatibleStateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public IncompatibleStateException(String message) {
        super(message);
    }
}

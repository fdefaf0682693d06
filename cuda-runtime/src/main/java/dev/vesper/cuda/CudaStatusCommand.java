package dev.vesper.cuda;

/**
 * {@code vesper:cuda}: whether the GPU computes, and if not, why. A plain object registered with
 * Gogo's command properties, so that this bundle needs no console of its own.
 */
public final class CudaStatusCommand {
    /** Gogo calls public methods named in {@code osgi.command.function}. */
    public static final String FUNCTION = "cuda";
    static final String DESCRIPTION = "say whether the GPU computes the matrix products, and if not, why";

    private final String status;

    CudaStatusCommand(String status) {
        this.status = status;
    }

    /** The backend's state, one line. */
    public String cuda() {
        return status;
    }
}

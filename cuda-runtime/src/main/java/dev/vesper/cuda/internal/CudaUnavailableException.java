package dev.vesper.cuda.internal;

/** Why no CUDA device can be used here: no driver, no device, or kernels the driver refused. */
public final class CudaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean noDriver;

    public CudaUnavailableException(String reason) {
        this(reason, false);
    }

    /** {@code noDriver}: the machine has no NVIDIA driver at all, the usual case, and nothing to fix. */
    public CudaUnavailableException(String reason, boolean noDriver) {
        super(reason);
        this.noDriver = noDriver;
    }

    /** Whether there is simply no NVIDIA driver here (rather than a driver or device that failed). */
    public boolean noDriver() {
        return noDriver;
    }
}

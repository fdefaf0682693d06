package dev.vesper.cuda.internal;

/** Why no CUDA device can be used here: no driver, no device, or kernels the driver refused. */
public final class CudaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String reason) {
        super(reason);
    }
}

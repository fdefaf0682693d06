package dev.vesper.trainer.internal;

/**
 * A run ended by a plug-in's fault rather than by the trainer's: its message says which plug-in, why,
 * and where the run can go on from; its cause is the plug-in's own exception.
 */
final class PluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

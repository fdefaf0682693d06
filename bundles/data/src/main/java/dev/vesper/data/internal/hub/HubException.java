package dev.vesper.data.internal.hub;

import java.io.IOException;

/** A Hub request that failed; {@code unreachable} when the cache may stand in (network, 5xx). */
public final class HubException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean unreachable;
    private final int status;

    public HubException(String message, boolean unreachable, Throwable cause) {
        this(message, unreachable, 0, cause);
    }

    public HubException(String message, boolean unreachable, int status, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
        this.status = status;
    }

    /** The HTTP status that caused it, or 0. */
    public int status() {
        return status;
    }

    public boolean unreachable() {
        return unreachable;
    }

    /** Whether the connection failed (the cause is the I/O error), rather than a server that answered badly. */
    public boolean network() {
        if (getCause() instanceof HubException inner) {
            return inner.network();
        }
        return unreachable && getCause() instanceof IOException;
    }
}

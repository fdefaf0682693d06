package dev.vesper.data.internal.hub;

import java.io.IOException;

/** A Hub request that failed; {@code unreachable} when the cache may stand in (network, 5xx). */
public final class HubException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean unreachable;

    public HubException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    public boolean unreachable() {
        return unreachable;
    }
}

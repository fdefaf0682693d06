package dev.vesper.data.internal.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cache file that exists but must not be used: damaged (truncated, a header that is not one,
 * tokens or index that no longer match their checksum) or written in another format. The message
 * names the file and says why; the caller rebuilds the cache.
 */
public final class UnusableCacheException extends IOException {
    private final boolean damaged;

    UnusableCacheException(Path file, String why, boolean damaged) {
        super(file + ": " + why);
        this.damaged = damaged;
    }

    static UnusableCacheException damaged(Path file, String why) {
        return new UnusableCacheException(file, "the token cache is damaged (" + why + ")", true);
    }

    /** False for a cache of another format, which an upgrade leaves behind and is no cause for alarm. */
    public boolean damaged() {
        return damaged;
    }
}

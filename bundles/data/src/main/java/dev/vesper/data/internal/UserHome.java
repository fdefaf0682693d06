package dev.vesper.data.internal;

/**
 * The user's home folder, where the caches shared with other tools live ({@code ~/.cache/huggingface},
 * {@code ~/.cache/vesper}). The interactive shell moves {@code user.home} into the distribution's
 * folder, where Gogo keeps its history, and passes the real one as {@value #PROPERTY}.
 */
public final class UserHome {
    public static final String PROPERTY = "vesper.user.home";

    private UserHome() {
    }

    public static String get() {
        return System.getProperty(PROPERTY, System.getProperty("user.home"));
    }
}

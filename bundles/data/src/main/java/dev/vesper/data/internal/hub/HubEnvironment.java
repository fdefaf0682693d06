package dev.vesper.data.internal.hub;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The settings the official Hugging Face tools read from the environment, taken from a map so that
 * tests never depend on the real environment: HF_ENDPOINT, HF_TOKEN (or the token file under
 * HF_HOME), HF_HOME, HF_HUB_CACHE and HF_HUB_OFFLINE.
 */
public final class HubEnvironment {
    private final Map<String, String> env;
    private final String userHome;

    public HubEnvironment(Map<String, String> env, String userHome) {
        this.env = Map.copyOf(env);
        this.userHome = userHome;
    }

    /**
     * The Hub's address, without a trailing slash.
     *
     * @throws IllegalArgumentException when HF_ENDPOINT is not an http(s) URL, naming it and its value: the
     *         URL parser's own message would name neither
     */
    public String endpoint() {
        String e = get("HF_ENDPOINT");
        e = e == null ? "https://huggingface.co" : e;
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        requireHttpUrl(e);
        return e;
    }

    private void requireHttpUrl(String e) {
        String why;
        try {
            URI u = new URI(e);
            boolean http = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            if (http && u.getHost() != null && u.getRawQuery() == null && u.getRawFragment() == null) {
                return;
            }
            why = "not an http or https URL";
        } catch (URISyntaxException bad) {
            why = "not a URL (" + bad.getReason() + (bad.getIndex() >= 0 ? " at index " + bad.getIndex() : "") + ")";
        }
        throw new IllegalArgumentException("HF_ENDPOINT is \"" + env.get("HF_ENDPOINT") + "\", " + why
                + "; set it to the Hub's address, such as https://huggingface.co, or unset it");
    }

    /** The access token, or null: HF_TOKEN, then the legacy variable, then the file the CLI writes. */
    public String token() {
        String t = get("HF_TOKEN");
        if (t == null) {
            t = get("HUGGING_FACE_HUB_TOKEN");
        }
        if (t == null) {
            String file = get("HF_TOKEN_PATH");
            Path p = file != null ? Path.of(file) : home().resolve("token");
            try {
                if (Files.isRegularFile(p)) {
                    t = Files.readString(p, StandardCharsets.UTF_8).strip();
                }
            } catch (IOException e) {
                t = null;
            }
        }
        return t == null || t.isEmpty() ? null : t;
    }

    public Path home() {
        String h = get("HF_HOME");
        if (h != null) {
            return Path.of(h);
        }
        String xdg = get("XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : Path.of(userHome, ".cache")).resolve("huggingface");
    }

    /** The hub cache, laid out as huggingface_hub lays it out. */
    public Path hubCache() {
        String c = get("HF_HUB_CACHE");
        if (c == null) {
            c = get("HUGGINGFACE_HUB_CACHE");
        }
        return c != null ? Path.of(c) : home().resolve("hub");
    }

    public boolean offline() {
        String v = get("HF_HUB_OFFLINE");
        if (v == null) {
            return false;
        }
        v = v.trim().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true") || v.equals("yes") || v.equals("on");
    }

    private String get(String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}

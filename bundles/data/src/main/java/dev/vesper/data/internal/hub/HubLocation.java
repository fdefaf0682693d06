package dev.vesper.data.internal.hub;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A parsed {@code hf://datasets/{owner}/{name}[@revision]/{path or glob}}. */
public final class HubLocation {
    public final String owner;
    public final String name;
    public final String revision;
    public final String path;

    private HubLocation(String owner, String name, String revision, String path) {
        this.owner = owner;
        this.name = name;
        this.revision = revision;
        this.path = path;
    }

    public static HubLocation parse(String location) {
        String form = "expected hf://datasets/{owner}/{name}[@revision]/{path or glob}";
        if (!location.startsWith("hf://datasets/")) {
            throw new IllegalArgumentException(location + ": " + form);
        }
        String rest = location.substring("hf://datasets/".length());
        String[] parts = rest.split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException(location + ": " + form);
        }
        String name = parts[1];
        String revision = "main";
        int at = name.indexOf('@');
        if (at >= 0) {
            revision = URLDecoder.decode(name.substring(at + 1), StandardCharsets.UTF_8);
            name = name.substring(0, at);
            if (revision.isEmpty() || name.isEmpty()) {
                throw new IllegalArgumentException(location + ": " + form);
            }
        }
        String path = parts.length == 3 ? parts[2] : "";
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException(location + ": the path may not contain '..' or '\\'");
        }
        return new HubLocation(parts[0], name, revision, path);
    }

    public String repoId() {
        return owner + "/" + name;
    }

    /** Whether the path selects files by pattern (or is empty: every file it can read). */
    public boolean isPattern() {
        return path.isEmpty() || Glob.isGlob(path);
    }

    /** How a file of this repository is named in origins and errors. */
    public String display(String commit, String file) {
        return "hf://datasets/" + repoId() + "@" + commit + "/" + file;
    }

    public static boolean isCommit(String revision) {
        return revision.matches("[0-9a-f]{40}");
    }
}

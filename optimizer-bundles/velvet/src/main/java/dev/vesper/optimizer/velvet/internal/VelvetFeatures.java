package dev.vesper.optimizer.velvet.internal;

import dev.vesper.optim.support.OptionReader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of Velvet's three features are on. By default all three. Options: a {@code features} list
 * ({@code "entropy_adaptive,sparse_aware"}, or a list of strings; {@code ""} or {@code none} for
 * none), which switches exactly the listed ones on; and/or a boolean per feature, which switches one
 * on or off. A feature both listed and switched off is a contradiction and rejected.
 */
final class VelvetFeatures {
    static final String ENTROPY_ADAPTIVE = "entropy_adaptive";
    static final String PERPLEXITY_GUIDED = "perplexity_guided";
    static final String SPARSE_AWARE = "sparse_aware";
    static final String FEATURES = "features";
    static final List<String> ALL = List.of(ENTROPY_ADAPTIVE, PERPLEXITY_GUIDED, SPARSE_AWARE);

    final boolean entropyAdaptive;
    final boolean perplexityGuided;
    final boolean sparseAware;

    VelvetFeatures(boolean entropyAdaptive, boolean perplexityGuided, boolean sparseAware) {
        this.entropyAdaptive = entropyAdaptive;
        this.perplexityGuided = perplexityGuided;
        this.sparseAware = sparseAware;
    }

    static VelvetFeatures read(OptionReader r) {
        Set<String> listed = null;
        if (r.has(FEATURES)) {
            listed = parseList(r, r.text(FEATURES, ""));
        }
        Set<String> on = new LinkedHashSet<>(listed == null ? ALL : listed);
        for (String feature : ALL) {
            if (!r.has(feature)) {
                continue;
            }
            if (r.flag(feature, true)) {
                on.add(feature);
            } else if (listed != null && listed.contains(feature)) {
                throw r.bad(feature, "is false, but '" + FEATURES + "' lists it");
            } else {
                on.remove(feature);
            }
        }
        return new VelvetFeatures(on.contains(ENTROPY_ADAPTIVE), on.contains(PERPLEXITY_GUIDED), on.contains(SPARSE_AWARE));
    }

    private static Set<String> parseList(OptionReader r, String text) {
        Set<String> listed = new LinkedHashSet<>();
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return listed;
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (String part : trimmed.split(",")) {
            String name = part.trim();
            if (ALL.contains(name)) {
                listed.add(name);
            } else {
                unknown.add("'" + name + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw r.bad(FEATURES, "unknown feature" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; known: " + String.join(", ", ALL));
        }
        return listed;
    }

    @Override
    public String toString() {
        return "{" + ENTROPY_ADAPTIVE + "=" + entropyAdaptive + ", " + PERPLEXITY_GUIDED + "=" + perplexityGuided
                + ", " + SPARSE_AWARE + "=" + sparseAware + "}";
    }
}

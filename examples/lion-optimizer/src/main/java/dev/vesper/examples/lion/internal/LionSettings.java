package dev.vesper.examples.lion.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lion's hyperparameters, read from the options map that {@code OptimizerFactory.create} receives.
 * Numbers arrive as {@link Number} or as text (the console passes text); every error names the option.
 *
 * <p>Defaults follow the paper's reference implementation (Chen et al. 2023, Appendix / the
 * {@code lion_pytorch.py} of google/automl): {@code lr} 1e-4, {@code beta1} 0.9, {@code beta2} 0.99,
 * {@code weight_decay} 0.0. The paper advises a learning rate 3–10× smaller than AdamW's and a
 * weight decay 3–10× larger, so that {@code lr·wd} stays about the same.
 *
 * @param decay which parameters take decoupled weight decay: {@code matrices} (those whose
 *     {@code Parameter.decay()} is true, the spec's default), {@code all} or {@code none}
 */
record LionSettings(double lr, double beta1, double beta2, double weightDecay, String decay) {
    static final String NAME = "lion";

    /**
     * Options Lion reads. {@code eps} is accepted and ignored: Lion has no ε (the sign needs no
     * division), but a run configured for AdamW hands it on when it switches to Lion mid-run.
     */
    static final Set<String> KNOWN = Set.of("lr", "beta1", "beta2", "weight_decay", "decay", "eps");

    static LionSettings read(Map<String, Object> options) {
        Map<String, Object> o = options == null ? Map.of() : options;
        Set<String> unknown = new TreeSet<>(o.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("optimizer lion: unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + "; known: " + new TreeSet<>(KNOWN));
        }
        double lr = number(o, "lr", 1e-4);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw bad("lr", "must be a finite number > 0, got " + lr);
        }
        double beta1 = unitInterval(o, "beta1", 0.9);
        double beta2 = unitInterval(o, "beta2", 0.99);
        double wd = number(o, "weight_decay", 0.0);
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw bad("weight_decay", "must be a finite number >= 0, got " + wd);
        }
        if (number(o, "eps", 0.0) < 0) {
            throw bad("eps", "must be >= 0 (Lion ignores it), got " + o.get("eps"));
        }
        Object d = o.getOrDefault("decay", "matrices");
        String decay = String.valueOf(d).trim();
        if (!Set.of("matrices", "all", "none").contains(decay)) {
            throw bad("decay", "expected matrices, all or none, got '" + d + "'");
        }
        return new LionSettings(lr, beta1, beta2, wd, decay);
    }

    /** Whether decoupled weight decay applies to a parameter whose own decay flag is {@code flag}. */
    boolean decays(boolean flag) {
        return switch (decay) {
            case "all" -> true;
            case "none" -> false;
            default -> flag;
        };
    }

    /** The hyperparameters as an exported state records them. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vesper.optimizer.hyper", "{\"lr\":" + lr + ",\"beta1\":" + beta1 + ",\"beta2\":" + beta2
                + ",\"weight_decay\":" + weightDecay + ",\"decay\":\"" + decay + "\"}");
        return m;
    }

    private static double unitInterval(Map<String, Object> o, String key, double defaultValue) {
        double v = number(o, key, defaultValue);
        if (!(v >= 0 && v < 1)) {
            throw bad(key, "must be in [0, 1), got " + v);
        }
        return v;
    }

    private static double number(Map<String, Object> o, String key, double defaultValue) {
        Object v = o.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw bad(key, "expected a number, got '" + s + "'");
            }
        }
        throw bad(key, "expected a number, got " + v.getClass().getSimpleName() + " " + v);
    }

    private static IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException("optimizer lion, option '" + key + "': " + why);
    }
}

package dev.vesper.optimizer.velvet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VelvetOptionsTest {
    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void rejected(Map<String, Object> options, String... named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VelvetFactory().create(Fixture.model(1), options));
        for (String n : named) {
            assertTrue(e.getMessage().contains(n), "message should name " + n + ": " + e.getMessage());
        }
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        rejected(opts("lr", -0.1), "'lr'");
        rejected(opts("beta1", 1.0), "'beta1'");
        rejected(opts("beta1", -0.01), "'beta1'");
        rejected(opts("beta2", "1"), "'beta2'");
        rejected(opts("eps", 0), "'eps'");
        rejected(opts("weight_decay", -1), "'weight_decay'");
        rejected(opts("beta1_min", 0.95), "'beta1_min'");
        rejected(opts("ema", 1.0), "'ema'");
        rejected(opts("sparse_tau", -1e-3), "'sparse_tau'");
        rejected(opts("lr", "fast"), "'lr'", "fast");
        rejected(opts("threads", 0), "'threads'");
        rejected(opts("momentum", 0.9), "momentum");
        rejected(opts("decay", "layers.*.nothing_here"), "'decay'", "layers.*.nothing_here");
        rejected(opts("sparse_tau", 0.1, "tau", 0.1), "'tau'");
    }

    @Test
    void unknownFeaturesAreNamed() {
        rejected(opts("features", "entropy_adaptive,lookahead,warp"), "'features'", "'lookahead'", "'warp'");
        rejected(opts("features", List.of("sparse_aware", "turbo")), "'turbo'");
        rejected(opts("entropy_adaptive", "sometimes"), "'entropy_adaptive'");
        rejected(opts("features", "sparse_aware", "sparse_aware", false), "'sparse_aware'");
    }

    @Test
    void featuresAreSwitchedByListOrFlag() {
        assertFeatures(opts(), true, true, true);
        assertFeatures(opts("features", "entropy_adaptive, sparse_aware"), true, false, true);
        assertFeatures(opts("features", List.of("perplexity_guided")), false, true, false);
        assertFeatures(opts("features", ""), false, false, false);
        assertFeatures(opts("features", "none", "sparse_aware", true), false, false, true);
        assertFeatures(opts("perplexity_guided", false), true, false, true);
        assertFeatures(opts("entropy_adaptive", "false", "sparse_aware", Boolean.FALSE), false, true, false);
    }

    @Test
    void numbersMayArriveAsText() {
        Map<String, Object> hyper = hyper(opts("lr", "0.002", "beta1", "0.85", "beta1_min", "0.7", "tau", "1e-6",
                "ema", 0.9f, "threads", "2", "decay", "all"));
        assertEquals(0.002, (Double) hyper.get("lr"));
        assertEquals(0.85, (Double) hyper.get("beta1"));
        assertEquals(0.7, (Double) hyper.get("beta1_min"));
        assertEquals(1e-6, (Double) hyper.get("sparse_tau"));
        assertEquals("all", hyper.get("decay"));
    }

    private static void assertFeatures(Map<String, Object> options, boolean entropy, boolean perplexity, boolean sparse) {
        Map<String, Object> hyper = hyper(options);
        assertEquals(entropy, hyper.get("entropy_adaptive"), "entropy_adaptive for " + options);
        assertEquals(perplexity, hyper.get("perplexity_guided"), "perplexity_guided for " + options);
        assertEquals(sparse, hyper.get("sparse_aware"), "sparse_aware for " + options);
    }

    /** The hyperparameters as exported, read back from the JSON with a crude parser (flat object). */
    private static Map<String, Object> hyper(Map<String, Object> options) {
        List<Parameter> ps = Fixture.model(1);
        OptimizerState s = new VelvetFactory().create(ps, options).exportState();
        String json = s.metadata().get("vesper.optimizer.hyper");
        Map<String, Object> m = new LinkedHashMap<>();
        for (String pair : json.substring(1, json.length() - 1).split(", ")) {
            String[] kv = pair.split(": ", 2);
            String key = kv[0].replace("\"", "");
            String v = kv[1];
            m.put(key, v.startsWith("\"") ? v.replace("\"", "")
                    : v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : (Object) Double.valueOf(v));
        }
        return m;
    }
}

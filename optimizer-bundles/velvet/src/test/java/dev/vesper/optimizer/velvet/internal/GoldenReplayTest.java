package dev.vesper.optimizer.velvet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.testkit.GoldenIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays every {@code optim-*.safetensors} golden case (independent PyTorch implementation of spec
 * section 5) and requires a relative error of at most 1e-5 on every parameter element after every step.
 */
class GoldenReplayTest {
    private static final double TOLERANCE = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyOptimizerCaseReplays() throws IOException {
        List<Path> cases = GoldenIndex.files(SafeTensorsFiles.shared().resolve("golden"), "optimizer", "optim-");
        for (Path file : cases) {
            boolean adamw = file.getFileName().toString().equals("optim-adamw.safetensors");
            double err = replay(file, adamw ? new AdamWFactory() : new VelvetFactory(), !adamw);
            System.out.println(file.getFileName() + ": max relative error " + err);
            assertTrue(err <= TOLERANCE, file.getFileName() + ": relative error " + err);
        }
    }

    @Test
    void velvetWithEveryFeatureOffReplaysTheAdamwCase() throws IOException {
        Path file = SafeTensorsFiles.shared().resolve("golden/optim-adamw.safetensors");
        double err = replay(file, new VelvetFactory(), true);
        assertTrue(err <= TOLERANCE, "relative error " + err);
    }

    /** The largest per-element relative error over all steps and parameters. */
    static double replay(Path file, OptimizerFactory factory, boolean velvetOptions) throws IOException {
        SafeTensorsFiles.Contents c = SafeTensorsFiles.read(file);
        JsonNode hyper = JSON.readTree(c.metadata.get("hyper"));
        JsonNode losses = JSON.readTree(c.metadata.get("losses"));
        JsonNode entropies = JSON.readTree(c.metadata.get("entropies"));

        Map<String, Object> options = new LinkedHashMap<>();
        for (String key : List.of("lr", "beta1", "beta2", "eps", "weight_decay")) {
            options.put(key, hyper.get(key).asDouble());
        }
        if (velvetOptions) {
            options.put("beta1_min", hyper.get("beta1_min").asDouble());
            options.put("ema", hyper.get("ema").asDouble());
            options.put("sparse_tau", hyper.get("tau").asDouble());
            for (String f : VelvetFeatures.ALL) {
                options.put(f, hyper.has(f) && hyper.get(f).asBoolean());
            }
        }
        List<String> names = List.of("w", "norm.weight");
        List<Parameter> params = new ArrayList<>();
        for (String name : names) {
            float[] init = c.tensors.get("init." + name).clone();
            Tensor t = Tensor.wrap(init, c.shapes.get("init." + name)).requiresGrad(true);
            params.add(new Parameter(name, t, t.rank() >= 2));
        }
        Optimizer opt = factory.create(params, options);
        double lr = hyper.get("lr").asDouble();
        double worst = 0;
        int steps = losses.size();
        assertEquals(6, steps, file + ": steps");
        for (int k = 1; k <= steps; k++) {
            for (Parameter p : params) {
                float[] g = c.tensors.get("step" + k + ".grad." + p.name());
                System.arraycopy(g, 0, p.value().grad(), 0, g.length);
            }
            opt.step(new StepContext(lr, losses.get(k - 1).asDouble(), entropies.get(k - 1).asDouble()));
            for (Parameter p : params) {
                float[] expected = c.tensors.get("step" + k + ".param." + p.name());
                float[] actual = p.value().toArray();
                for (int i = 0; i < expected.length; i++) {
                    double rel = Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-30);
                    worst = Math.max(worst, rel);
                }
            }
        }
        return worst;
    }
}

package dev.vesper.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.activation.relu.ReluActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.io.TensorFile;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.modelio.SafeTensors;
import dev.vesper.tensor.cpu.CpuBackend;
import dev.vesper.testkit.GoldenIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared test setup: the CPU engine, the four activations, and the golden files. */
final class Fixtures {
    static final Autograd AUTOGRAD = new TapeAutograd(new CpuBackend());

    private Fixtures() {
    }

    /** A mutable registry standing in for the OSGi service registry. */
    static Map<String, Activation> registry() {
        Map<String, Activation> m = new ConcurrentHashMap<>();
        for (Activation a : List.of(new EraActivation(), new GeluActivation(), new SiluActivation(), new ReluActivation())) {
            m.put(a.name(), a);
        }
        return m;
    }

    static VesperModelFactory factory() {
        return new VesperModelFactory(registry()::get);
    }

    static Path golden() {
        String s = System.getProperty("vesper.shared");
        Path dir = s == null ? null : Paths.get(s, "golden");
        if (dir == null || !Files.isDirectory(dir)) {
            throw new AssertionError("the shared folder with golden vectors is missing (system property vesper.shared = "
                    + s + "); the parity tests need ../shared beside the project and never pass without it");
        }
        return dir;
    }

    static List<Path> goldenModels() {
        return GoldenIndex.files(golden(), "model", "model-");
    }

    static TensorFile read(Path file) {
        try {
            return new SafeTensors().read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelConfig config(TensorFile f) {
        try {
            return ModelConfig.fromMap(new ObjectMapper().readValue(f.metadata().get("vesper.config"),
                    new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.vesper.bench.model;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.Map;
import java.util.Random;

/** The benchmarked model: the {@code tiny} preset at vocabulary 4096, as {@code torch_gpt_bench.py} builds it. */
final class ModelFixture {
    static final int VOCAB = 4096;

    private ModelFixture() {
    }

    static Autograd autograd() {
        return new TapeAutograd(new CpuBackend());
    }

    static LanguageModel tiny(String activation) {
        Map<String, Activation> acts = Map.of("silu", new SiluActivation(), "era", new EraActivation());
        VesperModelFactory f = new VesperModelFactory(acts::get);
        return f.create(ModelConfig.preset("tiny", VOCAB).with("activation", activation), 0);
    }

    static int[] randomIds(int n, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(VOCAB);
        }
        return ids;
    }
}

package dev.vesper.trainer.internal;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.modelio.DirectoryCheckpointStore;
import dev.vesper.modelio.SafeTensors;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.optimizer.velvet.internal.VelvetFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real implementations of every service the trainer uses, wired by hand as DS would wire them.
 * The optimizer and activation maps are live: tests remove and put entries to play bundles that stop
 * and start.
 */
final class RealStack {
    /**
     * One thread, so that sums are taken in one order. Scalar kernels unless asked for the Vector API path:
     * both repeat bit for bit within one JVM (the vector kernels sum lanes in a fixed order and take
     * exponentials with exact lane-wise operations, so C2 compiling them changes nothing), and the bit-for-bit
     * tests run on both.
     */
    final Autograd autograd;
    final Map<String, Activation> activations = new ConcurrentHashMap<>();
    final Map<String, OptimizerFactory> optimizers = new ConcurrentHashMap<>();
    final VesperModelFactory models;
    final BpeTokenizerFactory tokenizers = new BpeTokenizerFactory();
    final DirectoryCheckpointStore checkpoints = new DirectoryCheckpointStore(new SafeTensors());

    RealStack() {
        this(false);
    }

    RealStack(boolean vectorEngine) {
        autograd = new TapeAutograd(new CpuBackend(1, vectorEngine));
        activations.put("era", new EraActivation());
        activations.put("gelu", new GeluActivation());
        optimizers.put("adamw", new AdamWFactory());
        optimizers.put("velvet", new VelvetFactory());
        models = new VesperModelFactory(activations::get);
    }

    /** A model small enough for unit tests: one or two layers of width 32. */
    static ModelConfig small(int vocab, int layers) {
        return ModelConfig.preset("tiny", vocab).with("layers", layers).with("d_model", 32).with("heads", 2)
                .with("context", 32);
    }
}

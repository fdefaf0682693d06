package dev.vesper.optim.support;

import dev.vesper.api.io.TensorFile;
import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts an {@link OptimizerState} to and from the contents of {@code optimizer.safetensors}
 * (spec section 7), for whoever writes checkpoints. The optimizer name and step count travel in the
 * metadata ({@link StateKeys#OPTIMIZER}, {@link StateKeys#STEP}); moments are stored as 1-D F32
 * tensors (importing checks only their element count against the parameter's).
 */
public final class OptimizerStates {
    private OptimizerStates() {
    }

    public static TensorFile toTensorFile(OptimizerState state) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.tensors().entrySet()) {
            tensors.put(e.getKey(), Tensor.wrap(e.getValue().clone(), new int[] {e.getValue().length}));
        }
        Map<String, String> metadata = new LinkedHashMap<>(state.metadata());
        metadata.put(StateKeys.OPTIMIZER, state.optimizer());
        metadata.put(StateKeys.STEP, Long.toString(state.step()));
        return TensorFile.of(tensors, metadata);
    }

    /** @throws IncompatibleStateException when the optimizer name or step count is missing or unreadable */
    public static OptimizerState fromTensorFile(TensorFile file) {
        Map<String, String> metadata = file.metadata();
        String optimizer = metadata.get(StateKeys.OPTIMIZER);
        if (optimizer == null) {
            throw new IncompatibleStateException("optimizer state: metadata has no '" + StateKeys.OPTIMIZER + "'");
        }
        String stepText = metadata.get(StateKeys.STEP);
        long step;
        try {
            step = Long.parseLong(stepText == null ? "" : stepText.trim());
        } catch (NumberFormatException e) {
            throw new IncompatibleStateException("optimizer state: metadata '" + StateKeys.STEP
                    + "' must be a whole number, got " + (stepText == null ? "nothing" : "'" + stepText + "'"));
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : file.floats().entrySet()) {
            tensors.put(e.getKey(), e.getValue().toArray());
        }
        return new OptimizerState(optimizer, step, tensors, metadata);
    }
}

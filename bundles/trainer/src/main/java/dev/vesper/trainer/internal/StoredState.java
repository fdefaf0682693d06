package dev.vesper.trainer.internal;

import dev.vesper.api.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimizer state as the checkpoint store takes it. The store writes the optimizer name and step
 * count into the file's metadata itself (keys {@code vesper.optimizer}, {@code vesper.step}) and
 * refuses states that carry those keys; the Adam-family optimizers also export the name under
 * {@code vesper.optimizer}. Such copies of what {@link OptimizerState#optimizer()} and
 * {@link OptimizerState#step()} already say are dropped here; they are not needed to import.
 */
final class StoredState {
    static final List<String> STORE_KEYS = List.of("vesper.optimizer", "vesper.step");

    private StoredState() {
    }

    static OptimizerState forStore(OptimizerState state) {
        if (state == null || STORE_KEYS.stream().noneMatch(state.metadata()::containsKey)) {
            return state;
        }
        Map<String, String> metadata = new LinkedHashMap<>(state.metadata());
        String name = metadata.remove("vesper.optimizer");
        String step = metadata.remove("vesper.step");
        if (name != null && !name.equals(state.optimizer())) {
            throw new IllegalStateException("optimizer state names '" + name + "' in its metadata but is '"
                    + state.optimizer() + "'");
        }
        if (step != null && !step.equals(Long.toString(state.step()))) {
            throw new IllegalStateException("optimizer state has step " + step + " in its metadata but "
                    + state.step());
        }
        return new OptimizerState(state.optimizer(), state.step(), state.tensors(), metadata);
    }
}

package dev.vesper.api.metacog;

import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A meta head with its weights (spec section 6): the {@link MetaAssessor} of one language model's
 * final hidden states, of width {@link #dModel()}.
 *
 * @since 1.1
 */
@ProviderType
public interface MetaHead extends MetaAssessor {
    /** The width of the hidden states it reads, the model's {@code d_model}. */
    int dModel();

    /** Its weights, named as spec section 6 ({@code meta.confidence.weight}, ...); live tensors. */
    List<Parameter> parameters();

    /**
     * What is known of its training, as stored in its file's {@code __metadata__}: for instance
     * {@code vesper.meta.trained} lists the outputs that were trained. Read-only.
     */
    Map<String, String> metadata();
}

package dev.vesper.api.metacog;

import org.osgi.annotation.versioning.ProviderType;

/** Reads final hidden states and judges them: confidence, likely error kinds, whether to stop. */
@ProviderType
public interface MetaAssessor {
    /** An assessment of one hidden state of width {@code d_model}. */
    Assessment assess(float[] hidden);

    /** A regulator that stops generation once confident (spec section 6), after {@code minTokens}. */
    GenerationRegulator regulator(int minTokens);
}

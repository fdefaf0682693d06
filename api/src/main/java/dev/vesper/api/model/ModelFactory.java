package dev.vesper.api.model;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Builds VesperLM models. One service; the activation is looked up by name at each forward pass. */
@ProviderType
public interface ModelFactory {
    /** A new model with GPT-2 style initialisation drawn from {@code seed}. */
    LanguageModel create(ModelConfig config, long seed);

    /** The names of the presets: {@code tiny}, {@code small}, {@code medium}, {@code large}. */
    List<String> presets();

    /** The exact number of parameters {@link #create} would instantiate for this configuration. */
    long parameterCount(ModelConfig config);
}

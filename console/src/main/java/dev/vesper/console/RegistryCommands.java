package dev.vesper.console;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.ModelFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code vesper:models}, {@code vesper:optimizers}, {@code vesper:activations}: what is installed. */
@Component(service = RegistryCommands.class, property = {"osgi.command.scope=vesper",
    "osgi.command.function=models", "osgi.command.function=optimizers", "osgi.command.function=activations"})
public final class RegistryCommands {
    private final BundleContext context;
    private final ModelFactory models;

    @Activate
    public RegistryCommands(BundleContext context, @Reference ModelFactory models) {
        this.context = context;
        this.models = models;
    }

    @Descriptor("list the model presets with their exact parameter counts")
    public List<ModelPreset> models(
            @Descriptor("vocabulary size the counts assume") @Parameter(names = "--vocab", absentValue = "4096") String vocabText,
            @Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("models", words);
            int vocab = Numbers.whole("--vocab", vocabText);
            if (vocab <= 0) {
                throw new IllegalArgumentException("--vocab must be > 0, got " + vocab);
            }
            List<ModelPreset> out = new ArrayList<>();
            for (String name : models.presets()) {
                ModelConfig c = ModelConfig.preset(name, vocab);
                out.add(new ModelPreset(name, c.layers(), c.heads(), c.dModel(), c.dFf(), c.context(), vocab,
                        models.parameterCount(c)));
            }
            return out;
        });
    }

    @Descriptor("list the installed optimizers with the bundle and version that provide each")
    public List<ServiceEntry> optimizers(@Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("optimizers", words);
            return ServiceCatalog.ofKind(context, "OptimizerFactory");
        });
    }

    @Descriptor("list the installed activations with the bundle and version that provide each")
    public List<ServiceEntry> activations(@Descriptor(Words.OPTIONS_ONLY) String... words) {
        return Errors.shown(() -> {
            Words.none("activations", words);
            return ServiceCatalog.ofKind(context, "Activation");
        });
    }
}

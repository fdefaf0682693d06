package dev.vesper.metacog;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.data.DataService;
import dev.vesper.api.data.DatasetOptions;
import dev.vesper.api.data.ReadOptions;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.io.TensorFileFormat;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaHeads;
import dev.vesper.api.metacog.MetaTrainingConfig;
import dev.vesper.api.metacog.MetaTrainingResult;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.metacog.internal.LabelledTexts;
import dev.vesper.metacog.internal.MetaHeadFile;
import dev.vesper.metacog.internal.MetaTrainer;
import dev.vesper.metacog.internal.SpecMetaHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The meta heads of spec section 6. The head's GELU is the {@code gelu} activation service, its products
 * run on the autograd engine's compute backend, and its training steps with the {@code adamw} optimizer.
 */
@Component(service = MetaHeads.class)
public final class MetaHeadService implements MetaHeads {
    /** A tenth of the documents held out, as the trainer does. */
    static final double VALIDATION_FRACTION = 0.1;

    private final Autograd autograd;
    private final Activation gelu;
    private final OptimizerFactory adamw;
    private final DataService data;
    private final MetaHeadFile files;
    private final Path cacheDirectory;

    @Activate
    public MetaHeadService(@Reference Autograd autograd,
                           @Reference(target = "(" + Activation.PROPERTY + "=gelu)") Activation gelu,
                           @Reference(target = "(" + OptimizerFactory.PROPERTY + "=adamw)") OptimizerFactory adamw,
                           @Reference DataService data,
                           @Reference(target = "(vesper.format=safetensors)") TensorFileFormat format) {
        this(autograd, gelu, adamw, data, format, Path.of("runs", ".meta-cache"));
    }

    /** With the folder for token caches named, for embedding applications and tests. */
    public MetaHeadService(Autograd autograd, Activation gelu, OptimizerFactory adamw, DataService data,
                           TensorFileFormat format, Path cacheDirectory) {
        this.autograd = autograd;
        this.gelu = gelu;
        this.adamw = adamw;
        this.data = data;
        this.files = new MetaHeadFile(format);
        this.cacheDirectory = cacheDirectory;
    }

    @Override
    public MetaHead create(int dModel, long seed) {
        return SpecMetaHead.create(dModel, seed, autograd.backend(), gelu);
    }

    @Override
    public MetaHead read(Path file) throws IOException {
        return files.read(file, autograd.backend(), gelu);
    }

    @Override
    public void write(MetaHead head, Path file) throws IOException {
        files.write(own(head), file);
    }

    @Override
    public MetaTrainingResult train(MetaHead head, LanguageModel model, Tokenizer tokenizer, MetaTrainingConfig config,
                                    Progress progress) throws IOException {
        SpecMetaHead own = own(head);
        MetaTrainer.checkWidth(own, model);
        // read before the dataset is tokenized: a bad line is refused before any work, and nothing is written
        List<LabelledTexts.LabelledText> labelled = config.errorLabels().isPresent()
                ? LabelledTexts.read(config.errorLabels().get()) : null;
        // one token cache per tokenizer: the data service keeps one cache file per location in a folder
        Path cache = Files.createDirectories(cacheDirectory.toAbsolutePath()
                .resolve("tokens-" + shortName(tokenizer.fingerprint())));
        try (TokenDataset tokens = data.tokens(config.data(), ReadOptions.defaults(), tokenizer,
                new DatasetOptions(VALIDATION_FRACTION, true, config.seed(), cache))) {
            return new MetaTrainer(autograd, adamw).train(own, model, tokenizer, tokens, config, labelled, progress);
        }
    }

    private static String shortName(String fingerprint) {
        String clean = fingerprint.replaceAll("[^A-Za-z0-9]", "");
        return clean.length() > 16 ? clean.substring(0, 16) : clean;
    }

    private static SpecMetaHead own(MetaHead head) {
        if (head instanceof SpecMetaHead s) {
            return s;
        }
        throw new IllegalArgumentException("a meta head from another provider: " + head.getClass().getName());
    }
}

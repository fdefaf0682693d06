package dev.vesper.onnx;

import dev.vesper.api.io.ModelExporter;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.files.AtomicFiles;
import dev.vesper.onnx.internal.OnnxModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link ModelExporter} for format {@code onnx}: one self-contained ONNX file (IR 8, opset 17)
 * whose graph computes the model's logits from {@code input_ids [batch, seq]}, adapters included.
 * Models the exporter cannot express exactly (an unknown activation) are refused with an
 * {@link IllegalArgumentException}; the target is replaced atomically or not at all.
 */
@Component(service = ModelExporter.class, property = ModelExporter.PROPERTY + "=onnx")
public final class OnnxExporter implements ModelExporter {
    public static final String FORMAT = "onnx";

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Exports {@code model}, reading its live weights while the file is written: export a model that
     * is not training at the same time.
     */
    @Override
    public void export(LanguageModel model, Path target) throws IOException {
        ModelConfig config = model.config();
        OnnxModelWriter writer;
        try {
            OnnxModelWriter.checkSupported(config);
            writer = OnnxModelWriter.of(config, model.weights(false), model.weights(true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(target + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeStream(target, writer::write);
    }
}

package dev.vesper.api.io;

import dev.vesper.api.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/** Writes a model in another format, registered with {@link #PROPERTY}, such as {@code onnx}. */
@ConsumerType
public interface ModelExporter {
    String PROPERTY = "vesper.export.format";

    String format();

    void export(LanguageModel model, Path target) throws IOException;
}

package dev.vesper.metacog.internal;

import dev.vesper.api.io.TensorFile;
import dev.vesper.api.io.TensorFileFormat;
import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A meta head as a SafeTensors file: the {@code meta.*} tensors, and its metadata. */
public final class MetaHeadFile {
    private final TensorFileFormat format;

    public MetaHeadFile(TensorFileFormat format) {
        this.format = format;
    }

    public void write(SpecMetaHead head, Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : head.parameters()) {
            tensors.put(p.name(), p.value());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        format.write(file, TensorFile.of(tensors, head.metadata()));
    }

    /** @throws IOException naming the file, and the tensor that is missing, misshapen or not the head's */
    public SpecMetaHead read(Path file, ComputeBackend backend, Activation gelu) throws IOException {
        TensorFile contents;
        try {
            contents = format.read(file);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (a meta head file is SafeTensors, as vesper:meta train --out writes it)", e);
        }
        Tensor confidence = contents.floats().get(SpecMetaHead.CONFIDENCE + ".weight");
        if (confidence == null || confidence.rank() != 2 || confidence.dim(0) != 1 || confidence.dim(1) == 0) {
            throw new IOException(file + ": " + (confidence == null ? "no tensor '" : "tensor '")
                    + SpecMetaHead.CONFIDENCE + ".weight'" + (confidence == null
                    ? "; this is not a meta head file (vesper:meta train writes one)"
                    : " is " + confidence.shapeString() + ", expected [1, d_model]"));
        }
        SpecMetaHead head = SpecMetaHead.empty(confidence.dim(1), backend, gelu);
        for (Parameter p : head.parameters()) {
            Tensor t = contents.floats().get(p.name());
            if (t == null) {
                throw new IOException(file + ": no tensor '" + p.name() + "' " + p.value().shapeString());
            }
            if (!Arrays.equals(t.shape(), p.value().shape())) {
                throw new IOException(file + ": tensor '" + p.name() + "' is " + t.shapeString() + ", expected "
                        + p.value().shapeString() + " for d_model " + head.dModel());
            }
            for (int i = 0; i < t.size(); i++) {
                if (!Float.isFinite(t.get(i))) {
                    throw new IOException(file + ": tensor '" + p.name() + "' holds " + t.get(i) + " at index " + i);
                }
            }
            p.value().copyFrom(t);
        }
        for (String name : contents.floats().keySet()) {
            if (!name.startsWith("meta.") || head.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                throw new IOException(file + ": tensor '" + name + "' is not part of a meta head (spec section 6)");
            }
        }
        contents.metadata().forEach(head::note);
        return head;
    }
}

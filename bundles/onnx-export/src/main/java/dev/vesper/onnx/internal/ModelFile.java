package dev.vesper.onnx.internal;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the ModelProto around a graph: IR version 8, the default opset 17, producer "vesper". */
final class ModelFile {
    /** Protobuf parsers refuse messages of 2 GiB or more; larger models would need external data files. */
    private static final long MAX_BYTES = Integer.MAX_VALUE;

    private ModelFile() {
    }

    static void write(OnnxGraph graph, String doc, OutputStream out) throws IOException {
        long size = graph.size();
        ProtoWriter opset = new ProtoWriter().string(Onnx.OPSET_DOMAIN, "").int64(Onnx.OPSET_VERSION, Onnx.OPSET);
        byte[] header = new ProtoWriter()
                .int64(Onnx.MODEL_IR_VERSION, Onnx.IR_VERSION)
                .string(Onnx.MODEL_PRODUCER_NAME, Onnx.PRODUCER)
                .string(Onnx.MODEL_PRODUCER_VERSION, "1")
                .string(Onnx.MODEL_DOC_STRING, doc)
                .message(Onnx.MODEL_OPSET_IMPORT, opset)
                .toByteArray();
        // the whole file is one message: its header and the graph's tag and length prefix count too
        long total = header.length + 1L + 10 + size;
        if (total >= MAX_BYTES) {
            throw new IllegalArgumentException("onnx export: the model needs " + total + " bytes, over the 2 GiB limit of"
                    + " a single ONNX protobuf file (external data is not supported by this exporter)");
        }
        out.write(header);
        ProtoWriter.lengthPrefix(out, Onnx.MODEL_GRAPH, size);
        graph.writeTo(out);
    }
}

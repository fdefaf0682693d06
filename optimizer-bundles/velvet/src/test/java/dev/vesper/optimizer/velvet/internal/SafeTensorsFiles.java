package dev.vesper.optimizer.velvet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A test-only SafeTensors reader and writer for F32 tensors (spec section 7), enough for the golden files. */
final class SafeTensorsFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file's tensors (F32 only) and metadata. */
    static final class Contents {
        final Map<String, float[]> tensors = new LinkedHashMap<>();
        final Map<String, int[]> shapes = new LinkedHashMap<>();
        final Map<String, String> metadata = new LinkedHashMap<>();
    }

    private SafeTensorsFiles() {
    }

    static Contents read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    static Contents read(byte[] bytes, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength <= 0 || 8 + headerLength > bytes.length) {
            throw new IOException(source + ": bad header length " + headerLength);
        }
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        int dataStart = 8 + (int) headerLength;
        Contents c = new Contents();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> c.metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = e.getValue();
            if (!t.get("dtype").asText().equals("F32")) {
                throw new IOException(source + ": tensor " + e.getKey() + " is " + t.get("dtype") + ", not F32");
            }
            int[] shape = new int[t.get("shape").size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asInt();
                n *= shape[i];
            }
            long from = t.get("data_offsets").get(0).asLong();
            long to = t.get("data_offsets").get(1).asLong();
            if (to - from != 4L * n || dataStart + to > bytes.length) {
                throw new IOException(source + ": tensor " + e.getKey() + " offsets do not fit its shape");
            }
            float[] values = new float[n];
            buf.position(dataStart + (int) from);
            buf.asFloatBuffer().get(values);
            c.tensors.put(e.getKey(), values);
            c.shapes.put(e.getKey(), shape);
        }
        return c;
    }

    /** 1-D F32 tensors and string metadata as SafeTensors bytes. */
    static byte[] write(Map<String, float[]> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            t.putArray("shape").add(e.getValue().length);
            t.putArray("data_offsets").add(offset).add(offset + 4L * e.getValue().length);
            offset += 4L * e.getValue().length;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        out.write(len.array());
        out.write(json);
        for (float[] values : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            out.write(b.array());
        }
        return out.toByteArray();
    }

    /** The shared folder beside the project; fails (never skips) when it is missing. */
    static Path shared() {
        String dir = System.getProperty("vesper.shared");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new AssertionError("the shared folder (system property vesper.shared = " + dir
                    + ") is missing: golden files cannot be checked");
        }
        return Path.of(dir);
    }
}

package dev.vesper.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exported files run in ONNX Runtime, the runtime users load them into, and give the model's own
 * logits within the spec's relative 1e-4. Unlike {@link OnnxParityTest}'s oracle, the runtime was
 * written by others: it checks the file against the ONNX standard as it is implemented, not as the
 * exporter's authors read it.
 */
class OnnxRuntimeParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, tied={1}")
    @CsvSource({"relu, true", "silu, true", "gelu, true", "era, true", "era, false"})
    void activationsAndHeads(String activation, boolean tied) throws Exception {
        assertParity(Models.create(Models.small(activation).with("tie_embeddings", tied), 21));
    }

    @Test
    void bothAdapters() throws Exception {
        assertParity(Models.create(Models.small("silu").with("adapter", "masked").with("lora_rank", 4), 22));
        assertParity(Models.create(Models.small("gelu").with("adapter", "flylora").with("lora_rank", 8)
                .with("lora_topk", 3), 23));
    }

    /** The tiny preset as `./vesper train` makes it: six layers, d_model 256, context 256, ERA. */
    @Test
    void theTinyPresetAtItsFullContext() throws Exception {
        assertParity(Models.create(ModelConfig.preset("tiny", 512), 24));
    }

    private void assertParity(LanguageModel m) throws IOException, OrtException {
        Path file = dir.resolve("model.onnx");
        new OnnxExporter().export(m, file);
        int ctx = m.config().context();
        int vocab = m.config().vocabSize();
        try (OrtSession session = ORT.createSession(file.toString(), new OrtSession.SessionOptions())) {
            long seed = 200;
            for (int[] shape : new int[][] {{2, ctx}, {3, 5}, {1, 1}}) {
                int[][] ids = Models.ids(shape[0], shape[1], vocab, seed++);
                float[] got = run(session, ids, vocab);
                double err = Models.relativeError(Models.logits(m, ids), got);
                assertTrue(err <= TOLERANCE, m.config() + " at [" + shape[0] + ", " + shape[1] + "]: relative error " + err);
            }
        }
    }

    private static float[] run(OrtSession session, int[][] ids, int vocab) throws OrtException {
        int b = ids.length;
        int t = ids[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = ids[i][j];
            }
        }
        try (OnnxTensor input = OnnxTensor.createTensor(ORT, LongBuffer.wrap(flat), new long[] {b, t});
             OrtSession.Result result = session.run(Map.of("input_ids", input))) {
            OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
            assertArrayEquals(new long[] {b, t, vocab}, logits.getInfo().getShape(), "logits shape");
            FloatBuffer values = logits.getFloatBuffer();
            float[] out = new float[values.remaining()];
            values.get(out);
            return out;
        }
    }
}

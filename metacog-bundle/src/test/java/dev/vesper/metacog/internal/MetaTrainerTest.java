package dev.vesper.metacog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.metacog.Assessment;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaScores;
import dev.vesper.api.metacog.MetaTrainingConfig;
import dev.vesper.api.metacog.MetaTrainingResult;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.data.BuiltinSource;
import dev.vesper.data.DefaultDataService;
import dev.vesper.data.FileSource;
import dev.vesper.metacog.MetaHeadService;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.modelio.SafeTensors;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training a meta head through the service, on the real data pipeline, AdamW and compute backend. */
class MetaTrainerTest {
    @TempDir
    Path dir;

    private MetaHeadService service() {
        return new MetaHeadService(new TapeAutograd(new CpuBackend(1, false)), new GeluActivation(), new AdamWFactory(),
                new DefaultDataService(List.of(new FileSource(), new BuiltinSource())), new SafeTensors(),
                dir.resolve("cache"));
    }

    private final Tokenizer bytes = new BpeTokenizerFactory().bytes(List.of("<|endoftext|>"));

    /** Documents of letters a to h in which "a" is always followed by "b", each ending with ".". */
    private Path letters() throws IOException {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 400; d++) {
            int length = 10 + random.nextInt(20);
            StringBuilder doc = new StringBuilder();
            while (doc.length() < length) {
                char c = (char) ('a' + random.nextInt(8));
                doc.append(c == 'a' ? "ab" : String.valueOf(c));
            }
            text.append(doc).append(".\n\n");
        }
        Path file = dir.resolve("letters.txt");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void confidenceLearnsWhereTheModelIsRightAndTerminateWhereTextEnds() throws IOException {
        MetaHeadService service = service();
        LanguageModel model = new KnowsSomeOfItsText(bytes.vocabSize());
        MetaHead head = service.create(KnowsSomeOfItsText.WIDTH, 5);
        List<Double> losses = new ArrayList<>();
        MetaTrainingResult result = service.train(head, model, bytes,
                MetaTrainingConfig.of(letters().toString()).withSteps(300).withBatch(8).withSeq(32)
                        .withLearningRate(0.05).withValidationBatches(10),
                (step, steps, loss) -> losses.add(loss));

        assertEquals(300, losses.size());
        assertEquals("the validation split", result.heldOut());
        Assessment afterA = head.assess(KnowsSomeOfItsText.hiddenOf('a'));
        Assessment afterC = head.assess(KnowsSomeOfItsText.hiddenOf('c'));
        Assessment afterDot = head.assess(KnowsSomeOfItsText.hiddenOf('.'));
        assertTrue(afterA.confidence() > 0.9, "after 'a' the model is always right: " + afterA.confidence());
        assertTrue(afterC.confidence() > 0.03 && afterC.confidence() < 0.3,
                "after 'c' it is right about one time in eight: " + afterC.confidence());
        assertTrue(afterDot.terminate() > 0.9, "'.' always ends the text: " + afterDot.terminate());
        assertTrue(afterC.terminate() < 0.2, "'c' ends it only before '.': " + afterC.terminate());

        MetaScores before = result.before();
        MetaScores after = result.after();
        assertTrue(after.confidenceLoss() < 0.75 * before.confidenceLoss(), before + " -> " + after);
        assertTrue(after.terminateLoss() < 0.5 * before.terminateLoss(), before + " -> " + after);
        assertTrue(after.calibrationError() < 0.05 && after.calibrationError() < before.calibrationError(),
                before + " -> " + after);
        assertEquals(after.accuracy(), before.accuracy(), 1e-12, "the model itself did not change");
        assertTrue(after.endPositions() > 0 && after.terminateAtEnd() > 0.8 && after.terminateElsewhere() < 0.1, after.toString());

        // the regulator of spec section 6 stops where the head is confident, and not elsewhere
        assertTrue(head.regulator(0).shouldStop(4, 'b', KnowsSomeOfItsText.hiddenOf('a')));
        assertFalse(head.regulator(0).shouldStop(4, 'd', KnowsSomeOfItsText.hiddenOf('c')));
        assertEquals("confidence,terminate", head.metadata().get("vesper.meta.trained"));
    }

    @Test
    void aRealModelIsReadButNotChanged() throws IOException {
        MetaHeadService service = service();
        VesperModelFactory models = new VesperModelFactory(Map.of("silu", new SiluActivation())::get);
        ModelConfig config = ModelConfig.preset("tiny", bytes.vocabSize()).with("layers", 1).with("d_model", 32)
                .with("heads", 2).with("context", 32).with("activation", "silu");
        LanguageModel model = models.create(config, 3);
        Map<String, float[]> weights = new java.util.HashMap<>();
        model.weights(false).forEach((name, t) -> weights.put(name, t.toArray()));
        MetaHead head = service.create(32, 1);

        MetaTrainingResult result = service.train(head, model, bytes, MetaTrainingConfig.of("builtin:stories?count=40")
                .withSteps(4).withBatch(2).withSeq(64).withValidationBatches(2), (s, n, l) -> { });

        assertEquals(2 * 2 * 32, result.after().positions(), "two batches of 2 × 32: --seq is cut to the context");
        assertTrue(Double.isFinite(result.after().confidenceLoss()) && Double.isFinite(result.after().terminateLoss()));
        assertEquals(4L * 2 * 32, result.tokens());
        model.weights(false).forEach((name, t) -> assertArrayEquals(weights.get(name), t.toArray(), name));
    }

    @Test
    void positionsWithoutATargetNeitherTrainNorCount() {
        SpecMetaHead head = SpecMetaHead.create(4, 2, new CpuBackend(1, false), new GeluActivation());
        HiddenBatch batch = new HiddenBatch(3, 4);
        for (int i = 0; i < 12; i++) {
            batch.hidden[i] = i % 5 - 2;
        }
        batch.counted[0] = true;
        batch.counted[1] = false;
        batch.counted[2] = true;
        batch.topTokenRight[0] = 1;
        batch.topTokenRight[1] = 1;
        batch.endsText[1] = 1;
        MetaPass pass = new MetaPass(head, 3);
        pass.forward(MetaPass.matrix(batch.hidden, 3, 4));
        float[] dc = {9, 9, 9};
        float[] dt = {9, 9, 9};
        double loss = MetaTrainer.lossGradients(pass, batch, dc, dt);
        assertEquals(0f, dc[1]);
        assertEquals(0f, dt[1]);
        double expected = (Logistic.crossEntropy(pass.confidenceLogit(0), 1) + Logistic.crossEntropy(pass.terminateLogit(0), 0)
                + Logistic.crossEntropy(pass.confidenceLogit(2), 0) + Logistic.crossEntropy(pass.terminateLogit(2), 0)) / 2;
        assertEquals(expected, loss, 1e-12);
        assertEquals((Logistic.sigmoid(pass.confidenceLogit(0)) - 1) / 2, dc[0], 1e-7);

        MetaScorer scorer = new MetaScorer();
        scorer.add(pass, batch);
        MetaScores s = scorer.scores();
        assertEquals(2, s.positions());
        assertEquals(0.5, s.accuracy(), 0);
        assertEquals(0, s.endPositions());
        assertTrue(Double.isNaN(s.terminateAtEnd()));
    }

    @Test
    void aHeadOfAnotherWidthIsRefused() {
        MetaHeadService service = service();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.train(
                service.create(16, 1), new KnowsSomeOfItsText(bytes.vocabSize()), bytes,
                MetaTrainingConfig.of(letters().toString()), (s, n, l) -> { }));
        assertTrue(e.getMessage().contains("width 16") && e.getMessage().contains("are 32"), e.getMessage());
    }

    @Test
    void aHeadSurvivesItsFileAndABadFileIsNamed() throws IOException {
        MetaHeadService service = service();
        MetaHead head = service.create(24, 9);
        ((SpecMetaHead) head).note("vesper.meta.trained", "confidence,terminate");
        Path file = dir.resolve("heads/meta.safetensors");
        service.write(head, file);
        MetaHead back = service.read(file);
        assertEquals(24, back.dModel());
        assertEquals("confidence,terminate", back.metadata().get("vesper.meta.trained"));
        for (int i = 0; i < head.parameters().size(); i++) {
            assertArrayEquals(head.parameters().get(i).value().toArray(), back.parameters().get(i).value().toArray());
        }
        float[] h = new float[24];
        h[3] = 2;
        assertEquals(head.assess(h).confidence(), back.assess(h).confidence(), 0);

        Path model = dir.resolve("model.safetensors");
        new SafeTensors().write(model, dev.vesper.api.io.TensorFile.of(Map.of("tok_embeddings.weight", Tensor.zeros(4, 24)), Map.of()));
        IOException notMeta = assertThrows(IOException.class, () -> service.read(model));
        assertTrue(notMeta.getMessage().contains(model.toString()) && notMeta.getMessage().contains("not a meta head file"),
                notMeta.getMessage());

        Map<String, Tensor> misshapen = new java.util.LinkedHashMap<>();
        head.parameters().forEach(p -> misshapen.put(p.name(), p.value()));
        misshapen.put("meta.error_cls.weight", Tensor.zeros(2, 256));
        Path bad = dir.resolve("bad.safetensors");
        new SafeTensors().write(bad, dev.vesper.api.io.TensorFile.of(misshapen, Map.of()));
        IOException shape = assertThrows(IOException.class, () -> service.read(bad));
        assertTrue(shape.getMessage().contains("meta.error_cls.weight") && shape.getMessage().contains("[2,256]"),
                shape.getMessage());
    }
}

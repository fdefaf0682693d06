package dev.vesper.metacog.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.metacog.ErrorScores;
import dev.vesper.api.metacog.ErrorTraining;
import dev.vesper.api.metacog.MetaHead;
import dev.vesper.api.metacog.MetaTrainingConfig;
import dev.vesper.api.metacog.MetaTrainingResult;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.data.BuiltinSource;
import dev.vesper.data.DefaultDataService;
import dev.vesper.data.FileSource;
import dev.vesper.metacog.MetaHeadService;
import dev.vesper.modelio.SafeTensors;
import dev.vesper.optimizer.adamw.internal.AdamWFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import dev.vesper.tokenizer.BpeTokenizerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error classes trained on labelled texts, through the service, on a model whose last state is its last byte. */
class ErrorClassTrainingTest {
    @TempDir
    Path dir;

    private final Tokenizer bytes = new BpeTokenizerFactory().bytes(List.of("<|endoftext|>"));

    private MetaHeadService service() {
        return new MetaHeadService(new TapeAutograd(new CpuBackend(1, false)), new GeluActivation(), new AdamWFactory(),
                new DefaultDataService(List.of(new FileSource(), new BuiltinSource())), new SafeTensors(),
                dir.resolve("cache"));
    }

    /** Plain text for confidence and terminate: letters, each document ending with ".". */
    private Path letters() throws IOException {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 100; d++) {
            for (int i = 0; i < 12; i++) {
                text.append((char) ('e' + random.nextInt(4)));
            }
            text.append(".\n\n");
        }
        return Files.writeString(dir.resolve("letters.txt"), text);
    }

    /**
     * Texts whose label shows in their last character, the only thing {@link KnowsSomeOfItsText}'s
     * final state holds: "." is clean, "c" factual, "l" logical, "i" incomplete.
     */
    private Path labels(int count) throws IOException {
        String[] ends = {"c", "l", "i", "."};
        String[] names = {"factual", "logical", "incomplete", "none"};
        Random random = new Random(5);
        StringBuilder jsonl = new StringBuilder();
        for (int n = 0; n < count; n++) {
            int k = n % 4;
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 3 + random.nextInt(8); i++) {
                text.append((char) ('e' + random.nextInt(4)));
            }
            jsonl.append("{\"text\": \"").append(text).append(ends[k]).append("\", \"error\": \"").append(names[k])
                    .append("\"}\n");
            if (n == 7) {
                jsonl.append("\n");
            }
        }
        return Files.writeString(dir.resolve("labels.jsonl"), jsonl);
    }

    private MetaTrainingConfig config() throws IOException {
        return MetaTrainingConfig.of(letters().toString()).withSteps(200).withBatch(4).withSeq(16)
                .withLearningRate(0.03).withValidationBatches(4);
    }

    @Test
    void errorClassesLearnTheirLabelsAndHeldOutTextsShowIt() throws IOException {
        MetaHeadService service = service();
        MetaHead head = service.create(KnowsSomeOfItsText.WIDTH, 7);
        Path labels = labels(80);

        MetaTrainingResult result = service.train(head, new KnowsSomeOfItsText(bytes.vocabSize()), bytes,
                config().withErrorLabels(labels), (s, n, l) -> { });

        ErrorTraining errors = result.errors();
        assertEquals(72, errors.trainingTexts(), "80 texts, a tenth held out");
        assertEquals(8, errors.heldOutTexts());
        assertEquals(8, errors.after().texts());
        assertTrue(errors.keptStep() > 0 && errors.keptStep() <= 200, "a step that learnt something: " + errors.keptStep());
        assertEquals(Integer.toString(errors.keptStep()), head.metadata().get("vesper.meta.errors_step"));
        ErrorScores before = errors.before();
        ErrorScores after = errors.after();
        // untrained, every class reads 1/3: the 2 clean texts of the 8 (a tenth of each label's) agree, the others do not
        assertEquals(0.25, before.agreement(), 0, before.toString());
        assertEquals(1.0, after.agreement(), 0, after.toString());
        assertTrue(after.loss() < 0.1 * before.loss(), before + " -> " + after);

        double[] factual = head.assess(KnowsSomeOfItsText.hiddenOf('c')).errorProbabilities();
        double[] incomplete = head.assess(KnowsSomeOfItsText.hiddenOf('i')).errorProbabilities();
        double[] clean = head.assess(KnowsSomeOfItsText.hiddenOf('.')).errorProbabilities();
        assertTrue(factual[0] > 0.8 && incomplete[2] > 0.8, factual[0] + " " + incomplete[2]);
        for (double p : clean) {
            assertEquals(1.0 / 3, p, 0.1, "a clean text reads about 1/3 for each class");
        }
        // whatever its confidence, the regulator does not stop after an incomplete text
        assertFalse(head.regulator(0).shouldStop(4, 'i', KnowsSomeOfItsText.hiddenOf('i')));
        assertEquals("confidence,terminate,errors", head.metadata().get("vesper.meta.trained"));
        assertEquals(labels.toString(), head.metadata().get("vesper.meta.labels"));
        assertEquals("72", head.metadata().get("vesper.meta.labelled_texts"));
        // confidence and terminate still train alongside
        assertTrue(result.after().terminateLoss() < 0.5 * result.before().terminateLoss(), result.toString());
    }

    @Test
    void withoutLabelsTheErrorClassesKeepTheirWeights() throws IOException {
        MetaHeadService service = service();
        MetaHead head = service.create(KnowsSomeOfItsText.WIDTH, 7);
        float[] before = head.parameters().stream().filter(p -> p.name().startsWith("meta.error"))
                .map(p -> p.value().toArray()).reduce(new float[0], ErrorClassTrainingTest::concat);

        MetaTrainingResult result = service.train(head, new KnowsSomeOfItsText(bytes.vocabSize()), bytes,
                config().withSteps(20), (s, n, l) -> { });

        assertNull(result.errors());
        float[] after = head.parameters().stream().filter(p -> p.name().startsWith("meta.error"))
                .map(p -> p.value().toArray()).reduce(new float[0], ErrorClassTrainingTest::concat);
        assertArrayEquals(before, after);
    }

    @Test
    void fewTextsAreScoredOnThemselvesAndSaySo() throws IOException {
        MetaHeadService service = service();
        MetaHead head = service.create(KnowsSomeOfItsText.WIDTH, 7);
        MetaTrainingResult result = service.train(head, new KnowsSomeOfItsText(bytes.vocabSize()), bytes,
                config().withSteps(20).withErrorLabels(labels(6)), (s, n, l) -> { });
        assertEquals(6, result.errors().trainingTexts());
        assertEquals(0, result.errors().heldOutTexts());
        assertEquals(6, result.errors().after().texts(), "scored on the training texts");
        assertEquals(20, result.errors().keptStep(), "the last step's weights: none held out to choose another");
    }

    @Test
    void aBadLabelledLineIsNamedByFileAndLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"text\": \"fine.\", \"error\": \"none\"}\n\n{\"text\": \"x\", \"error\": \"typo\"}\n");
        IOException label = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertEquals(file + ":3: \"error\" is 'typo'; expected factual, logical, incomplete or none", label.getMessage());

        Files.writeString(file, "{\"text\": \"fine.\", \"error\": \"none\"}\n{\"text\": \"x\"}\n");
        IOException field = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertEquals(file + ":2: expected an object with string fields \"text\" and \"error\"", field.getMessage());

        Files.writeString(file, "{\"text\": \"fine.\", \"error\": \"none\"}\n{\"text\": \"x\", \n");
        IOException json = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertTrue(json.getMessage().startsWith(file + ":2:"), json.getMessage());

        Files.writeString(file, "\n\n");
        IOException empty = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertTrue(empty.getMessage().startsWith(file + ": no labelled texts"), empty.getMessage());

        IOException missing = assertThrows(IOException.class, () -> LabelledTexts.read(dir.resolve("nothing.jsonl")));
        assertTrue(missing.getMessage().contains("no file"), missing.getMessage());
        IOException folder = assertThrows(IOException.class, () -> LabelledTexts.read(dir));
        assertEquals("error labels: " + dir + " is a folder; name a JSON Lines file", folder.getMessage());

        // two objects on a line would lose the second label
        Files.writeString(file, "{\"text\": \"a.\", \"error\": \"none\"} {\"text\": \"b\", \"error\": \"incomplete\"}\n");
        IOException trailing = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertTrue(trailing.getMessage().startsWith(file + ":1:"), trailing.getMessage());

        Files.write(file, new byte[] {'{', '}', '\n', '"', (byte) 0xC3, '"', '\n'});
        IOException bytes = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertTrue(bytes.getMessage().startsWith(file + ":"), bytes.getMessage());

        Files.writeString(file, "{\"text\": \"x\", \n");
        IOException cut = assertThrows(IOException.class, () -> LabelledTexts.read(file));
        assertFalse(cut.getMessage().contains("start marker") || cut.getMessage().contains("Source"), cut.getMessage());
    }

    @Test
    void aByteOrderMarkIsNoPartOfTheFirstLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bom.jsonl"), "\uFEFF{\"text\": \"fine.\", \"error\": \"none\"}\n");
        assertEquals(List.of(new LabelledTexts.LabelledText("fine.", LabelledTexts.CLEAN, 1)), LabelledTexts.read(file));
    }

    @Test
    void theHeldOutTextsTakeATenthOfEachLabel() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 70 ? 3 : i < 90 ? 0 : i < 100 ? 2 : 1;
        }
        HeldOutSplit split = new HeldOutSplit(labels, 4, new Random(1));
        assertEquals(10, split.heldOut.size());
        assertEquals(List.of(7L, 2L, 0L, 1L), List.of(count(split.heldOut, labels, 3), count(split.heldOut, labels, 0),
                count(split.heldOut, labels, 1), count(split.heldOut, labels, 2)));
        assertEquals(90, split.training.size());
        assertEquals(split.heldOut, new HeldOutSplit(labels, 4, new Random(1)).heldOut, "drawn by the seed alone");
    }

    private static long count(List<Integer> texts, int[] labels, int label) {
        return texts.stream().filter(i -> labels[i] == label).count();
    }

    @Test
    void theLossIsZeroExactlyWhereTheReadingIsPerfect() {
        int clean = LabelledTexts.CLEAN;
        assertEquals(0, ErrorLoss.divergence(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, clean), 1e-12);
        assertEquals(0, ErrorLoss.divergence(new double[] {0, 1, 0}, 1), 1e-12);
        assertEquals(Math.log(3), ErrorLoss.divergence(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, 2), 1e-12);
        assertTrue(ErrorLoss.agrees(new double[] {0.2, 0.7, 0.1}, 1));
        assertFalse(ErrorLoss.agrees(new double[] {0.2, 0.7, 0.1}, clean));
        assertTrue(ErrorLoss.agrees(new double[] {0.4, 0.4, 0.2}, clean));
        assertFalse(ErrorLoss.agrees(new double[] {0.4, 0.4, 0.2}, 0));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vesper.api.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerStateTest {
    private static TrainerState sample() {
        TrainingConfig c = new TrainingConfig().optimizer("adamw").optimizerOption("beta2", 0.95).seed(7)
                .modelOverride("layers", 2).batch(4).seq(32);
        return new TrainerState(40, 2, 41, 100, 0.5, "velvet", "gelu", 3.25,
                List.of(new ConvergenceTracker.Point(20, 4.0), new ConvergenceTracker.Point(40, Double.NaN)), 1,
                Configs.toMap(c), "file:v2:1234");
    }

    @Test
    void roundTripsEveryField() {
        TrainerState s = sample();
        TrainerState r = TrainerState.parse(s.toJson(20, 4.0, 20), "trainer.json");
        assertEquals(s.step(), r.step());
        assertEquals("file:v2:1234", r.dataFingerprint());
        // checkpoints written before the data's fingerprint was kept read without one
        assertEquals(null, TrainerState.parse(s.toJson(20, 4.0, 20).replaceAll("(?s),\\s*\"data\"\\s*:\\s*\\{[^}]*\\}", ""),
                "trainer.json").dataFingerprint());
        assertEquals(s.epoch(), r.epoch());
        assertEquals(s.dataPosition(), r.dataPosition());
        assertEquals(s.totalSteps(), r.totalSteps());
        assertEquals(s.lrScale(), r.lrScale());
        assertEquals("velvet", r.optimizer());
        assertEquals("gelu", r.activation());
        assertEquals(3.25, r.loss());
        assertEquals(2, r.evals().size());
        assertEquals(4.0, r.evals().get(0).loss());
        assertTrue(Double.isNaN(r.evals().get(1).loss()));
        assertEquals(1, r.sinceImprovement());
        TrainingConfig back = new TrainingConfig();
        Configs.applyRunSettings(r.config(), back);
        assertEquals("adamw", back.optimizer());
        assertEquals(0.95, ((Number) back.optimizerOptions().get("beta2")).doubleValue());
        assertEquals(2, ((Number) back.modelOverrides().get("layers")).intValue());
        assertEquals(7, back.seed());
        assertEquals(4, back.batch());
        assertEquals(32, back.seq());
    }

    @Test
    void badJsonNamesTheFileAndField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.parse("{", "/ck/trainer.json"));
        assertTrue(e.getMessage().startsWith("/ck/trainer.json: not valid JSON"), e.getMessage());
        String json = sample().toJson(20, 4.0, 20).replace("\"data_position\" : 41", "\"data_position\" : \"x\"");
        e = assertThrows(IllegalArgumentException.class, () -> TrainerState.parse(json, "/ck/trainer.json"));
        assertTrue(e.getMessage().contains("/ck/trainer.json") && e.getMessage().contains("data_position"),
                e.getMessage());
    }

    /**
     * A hand-edited or damaged trainer.json failed a resume with a ClassCastException's or a
     * NullPointerException's text, or later with a message that named no file.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "optimizer                | null  | optimizer: expected a non-empty string, got null",
        "optimizer                | -7    | optimizer: expected a non-empty string, got -7",
        "activation               | -7    | activation: expected a non-empty string, got -7",
        "config.activation        | -7    | config.activation: expected a non-empty string, got -7",
        "config.adapter           | -7    | config.adapter: expected a non-empty string, got -7",
        "config.adapter           | '\"lora\"' | 'config.adapter: expected one of [masked, flylora], got \"lora\"'",
        "config.model_overrides   | null  | config.model_overrides: expected an object, got null",
        "config.model_overrides   | '\"zz\"' | 'config.model_overrides: expected an object, got \"zz\"'",
        "config.optimizer_options | null  | config.optimizer_options: expected an object, got null",
        "config.optimizer_options | -7    | config.optimizer_options: expected an object, got -7",
        "config.model             | 3     | config.model: expected a non-empty string, got 3",
        "config.skip_bad_lines    | '\"yes\"' | 'config.skip_bad_lines: expected true or false, got \"yes\"'",
        "step                     | -1    | step: expected an integer >= 0, got -1",
        "step                     | 2.5   | step: expected an integer >= 0, got 2.5",
        "data_position            | -5    | data_position: expected an integer >= 0, got -5",
        "config.batch             | 0     | 'config.batch: expected an integer in [1, 2147483647], got 0'",
        "config.seq               | -3    | 'config.seq: expected an integer in [1, 2147483647], got -3'",
        "config.accumulate        | 0     | 'config.accumulate: expected an integer in [1, 2147483647], got 0'",
        "config.warmup            | -1    | 'config.warmup: expected an integer in [0, 2147483647], got -1'",
        "schedule.lr_scale        | 0     | schedule.lr_scale: expected a finite number > 0, got 0",
        "schedule.lr_scale        | -0.5  | schedule.lr_scale: expected a finite number > 0, got -0.5",
        "config.lr                | 0     | config.lr: expected a finite number > 0, got 0",
        "config.schedule          | '\"linear\"' | 'config.schedule: expected one of [constant, cosine], got \"linear\"'",
        "config.min_lr_fraction   | 2     | 'config.min_lr_fraction: expected a number in [0, 1], got 2'",
        "config.clip_norm         | -1    | config.clip_norm: expected a finite number >= 0, got -1",
        "config.seed              | 1.5   | config.seed: expected an integer, got 1.5",
        "metrics.evals            | '[1]' | 'metrics.evals: expected a list of [step, loss] pairs, got 1'",
    })
    void aWrongFieldIsRefusedNamingTheFileAndTheField(String field, String json, String expected) throws Exception {
        String text = edit(sample().toJson(20, 4.0, 20), field, json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.parse(text, "/ck/trainer.json"));
        assertEquals("/ck/trainer.json: " + expected, e.getMessage());
    }

    @Test
    void aMissingFieldIsSaidToBeMissing() throws Exception {
        String text = edit(sample().toJson(20, 4.0, 20), "config.model", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerState.parse(text, "/ck/trainer.json"));
        assertEquals("/ck/trainer.json: config.model: missing (expected a non-empty string)", e.getMessage());
    }

    /** What older trainer.json files leave out, or hold as null, still reads: the run had no such setting. */
    @Test
    void fieldsThatOlderCheckpointsLeaveOutReadAsTheDefaults() throws Exception {
        String text = sample().toJson(20, 4.0, 20);
        for (String field : List.of("config.data_field", "config.skip_bad_lines", "config.model_overrides",
                "config.optimizer_options", "data")) {
            text = edit(text, field, null);
        }
        text = edit(edit(text, "config.adapter", "null"), "metrics.loss", "null");
        TrainerState r = TrainerState.parse(text, "trainer.json");
        TrainingConfig back = new TrainingConfig().dataField("body").skipBadLines(true).modelOverride("layers", 9);
        Configs.applyRunSettings(r.config(), back);
        assertEquals("text", back.dataField());
        assertEquals(false, back.skipBadLines());
        assertTrue(back.modelOverrides().isEmpty() && back.optimizerOptions().isEmpty());
        assertEquals(null, back.adapter());
        assertTrue(Double.isNaN(r.loss()));
        assertEquals(null, r.dataFingerprint());
    }

    /** {@code text} with the field at dotted {@code path} set to the JSON {@code value}, or removed when it is null. */
    private static String edit(String text, String path, String value) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(text);
        ObjectNode node = root;
        String[] keys = path.split("\\.");
        for (int i = 0; i < keys.length - 1; i++) {
            node = (ObjectNode) node.get(keys[i]);
        }
        String last = keys[keys.length - 1];
        if (value == null) {
            node.remove(last);
        } else {
            node.set(last, json.readTree(value));
        }
        return json.writeValueAsString(root);
    }
}

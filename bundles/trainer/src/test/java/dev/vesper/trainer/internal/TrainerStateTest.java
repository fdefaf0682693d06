package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}

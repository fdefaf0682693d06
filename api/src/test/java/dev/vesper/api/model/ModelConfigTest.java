package dev.vesper.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    @Test
    void changesAreCheckedTogetherWhateverTheirOrder() {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("d_model", 36);
        changes.put("heads", 2);
        ModelConfig c = ModelConfig.preset("tiny", 100).withAll(changes);
        assertEquals(36, c.dModel());
        assertEquals(2, c.heads());
        // one key at a time, d_model 36 meets the preset's 4 heads first
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("tiny", 100).with("d_model", 36));
    }

    @Test
    void aWholeThatDoesNotHoldIsRefusedAndAnUnknownKeyNamed() {
        Map<String, Object> odd = Map.of("d_model", 36, "heads", 5);
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("tiny", 100).withAll(odd));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.preset("tiny", 100).withAll(Map.of("widht", 3)));
        assertEquals(true, e.getMessage().contains("unknown key 'widht'"), e.getMessage());
    }

    @Test
    void aContextTooLargeForItsArraysIsRefusedNamingTheLimit() {
        ModelConfig tiny = ModelConfig.preset("tiny", 100);
        assertEquals(32768, tiny.with("context", 32768).context());
        // 65536² overflowed the ONNX export's causal mask; 100000000 × 256 the decoder's key/value cache
        for (int context : new int[] {32769, 65536, 100_000_000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tiny.withAll(Map.of("context", context)));
            assertEquals("model config: 'context' must be at most 32768, got " + context, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny.withAll(Map.of("context", 32768, "d_model", 65536, "heads", 1)));
        assertTrue(e.getMessage().startsWith("model config: 'context' 32768 × 'd_model' 65536 must be at most 2147483647"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> tiny.withAll(Map.of("d_model", 32768, "heads", 1, "context", 64)));
        assertTrue(e.getMessage().startsWith("model config: 'd_model' 32768 is too large: the FFN's 4·d_model × d_model"),
                e.getMessage());
    }

    @Test
    void aNullValueIsRefusedNamingTheKeyUnlessTheKeyIsOptional() {
        Map<String, Object> stored = new HashMap<>(ModelConfig.preset("tiny", 100).toMap());
        stored.put("dropout", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(stored));
        assertEquals("model config: 'dropout' is null; give it a value, or leave it out for the default", e.getMessage());
        for (String key : List.of("layers", "context", "tie_embeddings", "activation", "era_gamma")) {
            e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("tiny", 100).with(key, null));
            assertTrue(e.getMessage().contains("'" + key + "' is null"), e.getMessage());
        }
        // null still means "no adapter", as a fine-tuned model's base config is written
        stored.put("dropout", 0.0);
        stored.put("adapter", null);
        assertEquals(false, ModelConfig.fromMap(stored).hasAdapter());
    }
}

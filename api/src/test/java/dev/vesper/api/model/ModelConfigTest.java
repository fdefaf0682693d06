package dev.vesper.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
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
}

package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedServicesTest {
    @Test
    void highestRankingThenOldestWinsAndRemovalFallsBack() {
        NamedServices<String> s = new NamedServices<>("vesper.optimizer", x -> x);
        s.add("a1", Map.of("vesper.optimizer", "adamw", "service.id", 5L));
        s.add("a2", Map.of("vesper.optimizer", "adamw", "service.id", 9L, "service.ranking", 10));
        s.add("a3", Map.of("vesper.optimizer", "adamw", "service.id", 3L));
        s.add("velvet", Map.of("service.id", 4L));
        assertEquals("a2", s.apply("adamw"));
        s.remove("a2");
        assertEquals("a3", s.apply("adamw"));
        assertEquals("velvet", s.apply("velvet"));
        assertNull(s.apply("sgd"));
        assertEquals(List.of("adamw", "velvet"), s.names());
    }
}

package dev.vesper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden cases of one kind, as {@code index.json} lists them. A parity test that only listed the
 * folder would pass with a case missing; this fails when a listed file is absent or a file of the kind
 * is not listed.
 */
public final class GoldenIndex {
    private GoldenIndex() {
    }

    /**
     * @param golden the golden folder
     * @param kind   the index's {@code kind}: {@code model} or {@code optimizer}
     * @param prefix the file-name prefix of that kind on disk: {@code model-} or {@code optim-}
     */
    public static List<Path> files(Path golden, String kind, String prefix) {
        try {
            JsonNode index = new ObjectMapper().readTree(golden.resolve("index.json").toFile());
            List<Path> listed = new ArrayList<>();
            for (JsonNode entry : index) {
                if (kind.equals(entry.path("kind").asText())) {
                    Path file = golden.resolve(entry.path("file").asText());
                    assertTrue(Files.isRegularFile(file), "index.json lists " + file + ", which is missing");
                    listed.add(file);
                }
            }
            assertTrue(!listed.isEmpty(), "index.json in " + golden + " lists no case of kind " + kind);
            try (Stream<Path> s = Files.list(golden)) {
                List<Path> onDisk = s.filter(p -> p.getFileName().toString().startsWith(prefix)
                        && p.getFileName().toString().endsWith(".safetensors")).sorted().collect(Collectors.toList());
                assertEquals(onDisk, listed.stream().sorted().collect(Collectors.toList()),
                        "the " + kind + " cases on disk and in index.json differ");
            }
            return listed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

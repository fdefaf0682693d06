package dev.vesper.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What cannot be exported is refused by name, and the target is replaced whole or left alone. */
class OnnxExporterRefusalTest {
    @TempDir
    Path dir;

    @Test
    void unknownActivationIsRefusedByName() throws IOException {
        // a third-party activation: the model exists, but the exporter does not know its mathematics
        LanguageModel m = Models.create(Models.small("swish-beta"), 1);
        Path target = dir.resolve("m.onnx");
        Files.writeString(target, "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxExporter().export(m, target));
        assertTrue(e.getMessage().contains("'swish-beta'"), e.getMessage());
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("m.onnx"), names());
    }

    @Test
    void unwritableTargetNamesTheFileAndLeavesNothing() throws IOException {
        LanguageModel m = Models.create(Models.small("relu"), 2);
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "x");
        Path target = notAFolder.resolve("m.onnx");
        IOException e = assertThrows(IOException.class, () -> new OnnxExporter().export(m, target));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("m2.onnx"));
        IOException e2 = assertThrows(IOException.class, () -> new OnnxExporter().export(m, folder));
        assertTrue(e2.getMessage().contains(folder.toString()), e2.getMessage());
        assertEquals(List.of("file", "m2.onnx"), names());
    }

    @Test
    void existingFileIsReplacedWhole() throws IOException {
        Path target = dir.resolve("m.onnx");
        Files.writeString(target, "an older export");
        new OnnxExporter().export(Models.create(Models.small("era"), 3), target);
        assertEquals(37L, OnnxModel.read(target).outputs.get(0).dims().get(2));
        assertEquals(List.of("m.onnx"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}

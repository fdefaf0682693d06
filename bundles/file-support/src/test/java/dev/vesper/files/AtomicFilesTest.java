package dev.vesper.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAFileAndItsFoldersAndReplacesAnOldOne() throws IOException {
        Path f = dir.resolve("a/b/notes.txt");
        AtomicFiles.writeText(f, "first");
        AtomicFiles.writeStream(f, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of("notes.txt"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
    }

    @Test
    void aWriteThatFailsLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path f = dir.resolve("model.bin");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeStream(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().startsWith(f.toAbsolutePath() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(3, Files.size(f));
        assertEquals(List.of("model.bin"), names());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(f, out -> {
            throw new IllegalStateException("a bug");
        }));
        assertEquals(3, Files.size(f));
        assertEquals(List.of("model.bin"), names());
    }

    @Test
    void aFolderThatCannotBeWrittenIsSaidInWordsAndNamesTheTarget() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        Path target = notAFolder.resolve("m.onnx");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeText(target, "y"));
        assertEquals(target.toAbsolutePath() + ": cannot write (" + notAFolder.toAbsolutePath()
                + ": a file, where a folder is needed)", e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp-"), e.getMessage());
    }

    @Test
    void aFolderIsNotReplacedByAFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("run"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeText(folder, "x"));
        assertEquals(folder.toAbsolutePath() + ": is a folder, not a file", e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void publishNewTakesOnlyAFreeName() throws IOException {
        Path tmp = AtomicFiles.temporarySibling(dir.resolve("out.json"));
        AtomicFiles.writeSynced(tmp, ch -> ch.write(java.nio.ByteBuffer.wrap(new byte[] {7})));
        Path taken = Files.writeString(dir.resolve("taken.json"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.publishNew(tmp, taken));
        assertEquals("mine", Files.readString(taken));
        assertTrue(Files.exists(tmp), "the caller still holds its temporary file");
        AtomicFiles.publishNew(tmp, dir.resolve("out.json"));
        assertFalse(Files.exists(tmp));
        assertEquals(List.of("out.json", "taken.json"), names());
    }

    @Test
    void deleteTreeRemovesAFolderWithEverythingInIt() throws IOException {
        Path root = dir.resolve("tree");
        AtomicFiles.writeText(root.resolve("a/b/c.txt"), "c");
        AtomicFiles.writeText(root.resolve("d.txt"), "d");
        AtomicFiles.deleteTree(root);
        assertEquals(List.of(), names());
        AtomicFiles.deleteTree(root);
    }
}

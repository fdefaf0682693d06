package dev.vesper.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FileErrorsTest {
    @Test
    void fileErrorsReadAsPathAndReason() {
        assertEquals("/ro/m.onnx: Read-only file system",
                FileErrors.describe(new FileSystemException("/ro/m.onnx", null, "Read-only file system")));
        assertEquals("/ro/x: permission denied", FileErrors.describe(new AccessDeniedException("/ro/x")));
        assertEquals("/proc/x: no such file or folder", FileErrors.describe(new NoSuchFileException("/proc/x")));
        assertEquals("disk full", FileErrors.describe(new IOException("disk full")));
        assertEquals("IOException", FileErrors.reason(new IOException()));
    }
}

package dev.vesper.data.internal;

import dev.vesper.files.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * File errors that read as {@code <path>: <reason>} wherever they are shown. The JDK leaves the reason
 * out of most of them ({@code AccessDeniedException}'s message is the bare path), and a stream over a
 * folder tree wraps them in {@link UncheckedIOException}, whose message is the class name.
 */
public final class FileFaults {
    private FileFaults() {
    }

    /** The file error inside {@code e}, with its reason; any other I/O error as it is. */
    public static IOException unwrap(UncheckedIOException e) {
        IOException cause = e.getCause();
        return cause instanceof FileSystemException f ? withReason(f) : cause;
    }

    /** {@code e} when it has a reason; else the same kind of error with {@link FileErrors#reason}'s words. */
    public static FileSystemException withReason(FileSystemException e) {
        if (e.getReason() != null) {
            return e;
        }
        String reason = FileErrors.reason(e);
        FileSystemException named;
        if (e instanceof AccessDeniedException) {
            named = new AccessDeniedException(e.getFile(), e.getOtherFile(), reason);
        } else if (e instanceof NoSuchFileException) {
            named = new NoSuchFileException(e.getFile(), e.getOtherFile(), reason);
        } else {
            named = new FileSystemException(e.getFile(), e.getOtherFile(), reason);
        }
        named.initCause(e);
        return named;
    }
}

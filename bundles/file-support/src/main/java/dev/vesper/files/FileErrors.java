package dev.vesper.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file error in words: the JDK's file exceptions carry the path and the system's reason apart, and
 * their {@code toString} shows a class name that means nothing to a user.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** Why the operation failed, without the path: {@code Read-only file system}, {@code permission denied}. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (f instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (f instanceof NoSuchFileException) {
                return "no such file or folder";
            }
            if (f instanceof FileAlreadyExistsException) {
                return "it exists";
            }
            if (f instanceof NotDirectoryException) {
                return "not a folder";
            }
            if (f instanceof DirectoryNotEmptyException) {
                return "the folder is not empty";
            }
            return "a file system error";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code <path>: <reason>} for a file exception, its message for any other. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + reason(e);
        }
        return reason(e);
    }
}

package dev.vesper.console;

import java.io.PrintStream;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.LineReader;

/**
 * Prints a command's last line when the shell may already have drawn its next prompt: after Ctrl-C,
 * Gogo prints the interruption and the prompt at once, while the command is still finishing. On a JLine
 * shell that is reading a line, the text goes above the prompt, which is drawn again below it.
 */
final class AbovePrompt {
    private AbovePrompt() {
    }

    static void println(CommandSession session, PrintStream out, String line) {
        Object reader = session.get(".reader");
        try {
            if (reader != null && printAbove(reader, line)) {
                return;
            }
        } catch (LinkageError noJLine) {
            // no JLine wired to this bundle: a plain line, as below
        }
        out.println(line);
    }

    private static boolean printAbove(Object reader, String line) {
        if (reader instanceof LineReader r && r.isReading()) {
            r.printAbove(line);
            return true;
        }
        return false;
    }
}

package dev.vesper.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandSession;

/**
 * Where {@code chat} reads the user's lines. On the interactive shell's terminal that is a line
 * editor of its own ({@link TerminalChatInput}: arrow keys, its own history, Ctrl-C or Ctrl-D ends
 * the chat, and Ctrl-C during an answer stops only that answer); elsewhere, such as input piped in,
 * plain lines from the session's input.
 */
interface ChatInput {
    /** The next line, or null when the user ends the chat (end of input, Ctrl-C, Ctrl-D). */
    String readLine(String prompt) throws IOException;

    /**
     * Runs {@code answer} so that Ctrl-C calls {@code stop} rather than ending the whole command. Where
     * the input cannot tell (plain lines), Ctrl-C ends the command, as it does any other.
     */
    default void answering(Runnable stop, Runnable answer) {
        answer.run();
    }

    static ChatInput of(CommandSession session) {
        Object terminal = session.get(".terminal");
        if (terminal != null) {
            // the JLine classes load only when the session has a JLine terminal, and this bundle is wired to them
            try {
                ChatInput editor = TerminalChatInput.on(terminal);
                if (editor != null) {
                    return editor;
                }
            } catch (LinkageError noJLine) {
                // plain lines, as below
            }
        }
        return plain(session);
    }

    private static ChatInput plain(CommandSession session) {
        BufferedReader in = new BufferedReader(new InputStreamReader(session.getKeyboard(), StandardCharsets.UTF_8));
        PrintStream out = session.getConsole();
        return prompt -> {
            out.print(prompt);
            out.flush();
            return in.readLine();
        };
    }
}

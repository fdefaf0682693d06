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
 * the chat, and Ctrl-C during an answer stops only that answer); elsewhere, such as {@code bin/vesper chat}
 * run as one command or input piped in, plain lines from the session's input, where Ctrl-C during an
 * answer stops it too.
 */
interface ChatInput {
    /** The next line, or null when the user ends the chat (end of input, Ctrl-C, Ctrl-D). */
    String readLine(String prompt) throws IOException;

    /** Runs {@code answer} so that Ctrl-C calls {@code stop} rather than ending the whole command. */
    void answering(Runnable stop, Runnable answer);

    /** How the user ends the chat and stops an answer, for the chat's first line. */
    String howToEnd();

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
        return new ChatInput() {
            @Override
            public String readLine(String prompt) throws IOException {
                out.print(prompt);
                out.flush();
                return in.readLine();
            }

            @Override
            public void answering(Runnable stop, Runnable answer) {
                InterruptSignal.during(stop, answer);
            }

            @Override
            public String howToEnd() {
                // a blocked read of plain input cannot be interrupted: at the prompt, Ctrl-C keeps its meaning
                return "An empty line, /bye or the end of the input (Ctrl-D) ends the chat; Ctrl-C during an answer"
                        + " stops the answer, and at you> leaves Vesper.";
            }
        };
    }
}

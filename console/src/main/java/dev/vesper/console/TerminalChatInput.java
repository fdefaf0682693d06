package dev.vesper.console;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;

/**
 * Chat lines from a line editor on the shell's terminal. It is a reader of its own, not the shell's:
 * chat lines stay out of the shell's history and Tab completes no commands here.
 */
final class TerminalChatInput implements ChatInput {
    private final Terminal terminal;
    private final LineReader reader;

    private TerminalChatInput(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
    }

    /** An editor on {@code terminal}, or null when it is not a JLine terminal. */
    static TerminalChatInput on(Object terminal) {
        if (!(terminal instanceof Terminal t)) {
            return null;
        }
        // a chat line is text: "!!" or "^a^b" in it must not be expanded as shell history
        return new TerminalChatInput(t, LineReaderBuilder.builder().terminal(t)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build());
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException ended) {
            return null;
        }
    }

    @Override
    public String howToEnd() {
        return "An empty line, /bye, Ctrl-D or Ctrl-C ends the chat; Ctrl-C during an answer stops the answer.";
    }

    /** The shell's own Ctrl-C handler would interrupt the whole chat: while an answer runs, this one stands in. */
    @Override
    public void answering(Runnable stop, Runnable answer) {
        SignalHandler shells = terminal.handle(Signal.INT, signal -> stop.run());
        try {
            answer.run();
        } finally {
            terminal.handle(Signal.INT, shells);
        }
    }
}

package dev.vesper.console;

import dev.vesper.api.data.Document;
import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * A multi-turn conversation: the transcript so far is the prompt of each answer, cut from the
 * front to fit the model's context. An answer is printed as its tokens come, and ends at a new line.
 */
final class Chat {
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final SamplingOptions options;
    private final StringBuilder transcript = new StringBuilder();

    /** Thrown from the token sink to end a generation whose answer is complete. */
    private static final class AnswerEnded extends RuntimeException {
        AnswerEnded() {
            super(null, null, false, false);
        }
    }

    Chat(LanguageModel model, Tokenizer tokenizer, SamplingOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
    }

    /**
     * Prints the answer to {@code userLine} as it comes. Once {@code stopped} says so (the user's Ctrl-C), the
     * answer ends where it is, says so, and stays in the transcript as far as it got.
     */
    void reply(String userLine, PrintStream out, BooleanSupplier stopped) {
        transcript.append(Document.USER_TURN).append(userLine).append('\n').append(Document.MODEL_TURN);
        int[] prompt = fit(tokenizer.encode(transcript.toString()));
        SamplingOptions o = options.stoppingAt(tokenizer.endOfText());
        Answer answer = new Answer(tokenizer, out);
        try {
            model.generate(prompt, o, (i, token) -> {
                Interruption.check("interrupted");
                if (stopped.getAsBoolean()) {
                    out.print(" [stopped]");
                    throw new AnswerEnded();
                }
                if (answer.accept(token)) {
                    throw new AnswerEnded();
                }
            });
        } catch (AnswerEnded complete) {
            // the answer reached its new line, or the user stopped it: no need to generate the rest of its room
        } finally {
            out.println();
        }
        transcript.append(answer.text()).append('\n');
    }

    private int[] fit(int[] ids) {
        int room = model.config().context() - options.maxTokens();
        if (ids.length <= room) {
            return ids;
        }
        return java.util.Arrays.copyOfRange(ids, ids.length - Math.max(1, room), ids.length);
    }

    /** The answer's text as its tokens come: printed up to its first new line, leading blanks left out. */
    private static final class Answer {
        private final Tokenizer tokenizer;
        private final PrintStream out;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private String text = "";
        private int printed;

        Answer(Tokenizer tokenizer, PrintStream out) {
            this.tokenizer = tokenizer;
            this.out = out;
        }

        /** Takes one token; true once the answer has reached its new line. */
        boolean accept(int token) {
            bytes.writeBytes(tokenizer.decodeBytes(new int[] {token}));
            String decoded = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            int newline = decoded.indexOf('\n');
            // a trailing U+FFFD may be a character whose bytes are still arriving
            int end = newline >= 0 ? newline : decoded.endsWith("\uFFFD") ? decoded.length() - 1 : decoded.length();
            text = decoded.substring(0, end);
            int from = Math.max(printed, leadingBlanks(text));
            if (end > from) {
                out.print(TerminalText.printable(text.substring(from, end)));
                out.flush();
                printed = end;
            }
            return newline >= 0;
        }

        String text() {
            return text;
        }

        private static int leadingBlanks(String s) {
            int i = 0;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i;
        }
    }
}

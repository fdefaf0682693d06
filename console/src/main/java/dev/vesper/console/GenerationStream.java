package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
import java.io.PrintStream;

/** Generates from a prompt and prints the text as the tokens come, whole characters at a time. */
final class GenerationStream {
    private GenerationStream() {
    }

    /** Streams the continuation of {@code prompt} to {@code out}; returns prompt plus continuation. */
    static String stream(LanguageModel model, Tokenizer tokenizer, String prompt, SamplingOptions options, PrintStream out) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        // the prompt is printed with the first token: a model that cannot run (its activation gone) fails
        // before printing anything, so its error is not glued to a prompt that looks like a start
        TextStream text = new TextStream(tokenizer, out, TerminalText.printable(prompt));
        int[] generated;
        boolean failed = true;
        try {
            generated = model.generate(ids, options.stoppingAt(tokenizer.endOfText()), (i, token) -> {
                String stopped = "stopped after " + i + " token" + (i == 1 ? "" : "s");
                if (Thread.currentThread().isInterrupted()) {
                    // Gogo answers Ctrl-C with its own word only; the text says where it ends
                    text.say(" [" + stopped + "]");
                }
                Interruption.check(stopped);
                text.accept(token);
            });
            failed = false;
        } finally {
            text.end(failed);
        }
        return prompt + tokenizer.decode(generated);
    }

    /** Decodes the growing list of ids and prints only the new characters. */
    private static final class TextStream {
        private final Tokenizer tokenizer;
        private final PrintStream out;
        private int[] ids = new int[64];
        private int count;
        private int printed;
        private String prompt;
        private boolean lineEnded;

        TextStream(Tokenizer tokenizer, PrintStream out, String prompt) {
            this.tokenizer = tokenizer;
            this.out = out;
            this.prompt = prompt;
        }

        /** Ends the line; the prompt still shows when no token came, unless the generation failed. */
        void end(boolean failed) {
            if (prompt != null && !failed) {
                out.print(prompt);
                prompt = null;
            }
            if (prompt == null && !lineEnded) {
                out.println();
            }
            out.flush();
        }

        /** Ends the line with {@code note}: whatever the shell prints next starts a line of its own. */
        void say(String note) {
            if (prompt != null) {
                out.print(prompt);
                prompt = null;
            }
            out.println(note);
            out.flush();
            lineEnded = true;
        }

        void accept(int token) {
            if (prompt != null) {
                out.print(prompt);
                prompt = null;
            }
            if (count == ids.length) {
                ids = java.util.Arrays.copyOf(ids, count * 2);
            }
            ids[count++] = token;
            String text = tokenizer.decode(java.util.Arrays.copyOf(ids, count));
            // a trailing U+FFFD may be a character whose bytes are still arriving
            int end = text.endsWith("\uFFFD") ? text.length() - 1 : text.length();
            if (end > printed) {
                out.print(TerminalText.printable(text.substring(printed, end)));
                out.flush();
                printed = end;
            }
            // all printed, no character half-way: the next tokens decode on their own, which keeps a
            // long generation from decoding its whole text again at every token
            if (end == text.length()) {
                count = 0;
                printed = 0;
            }
        }
    }
}

package dev.vesper.console;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
import java.io.PrintStream;

/**
 * A multi-turn conversation: the transcript so far is the prompt of each answer, cut from the
 * front to fit the model's context, and an answer ends at a new line.
 */
final class Chat {
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final SamplingOptions options;
    private final StringBuilder transcript = new StringBuilder();

    Chat(LanguageModel model, Tokenizer tokenizer, SamplingOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
    }

    void reply(String userLine, PrintStream out) {
        transcript.append("User: ").append(userLine).append("\nVesper:");
        int[] prompt = fit(tokenizer.encode(transcript.toString()));
        StringBuilder answer = new StringBuilder();
        SamplingOptions o = tokenizer.endOfText() >= 0 ? options.withStopTokens(tokenizer.endOfText()) : options;
        int[] ids = model.generate(prompt, o, (i, t) -> Interruption.check("interrupted"));
        String text = tokenizer.decode(ids);
        int cut = text.indexOf('\n');
        answer.append(cut >= 0 ? text.substring(0, cut) : text);
        out.println(Sampler.printable(answer.toString().trim()));
        transcript.append(answer).append('\n');
    }

    private int[] fit(int[] ids) {
        int room = model.config().context() - options.maxTokens();
        if (ids.length <= room) {
            return ids;
        }
        return java.util.Arrays.copyOfRange(ids, ids.length - Math.max(1, room), ids.length);
    }
}

package dev.vesper.api.data;

/**
 * One document read from a source: plain text, or a prompt/response pair for fine-tuning.
 * {@code origin} names where it came from ({@code file:line}) for messages.
 */
public final class Document {
    private final String text;
    private final String prompt;
    private final String response;
    private final String origin;

    private Document(String text, String prompt, String response, String origin) {
        this.text = text;
        this.prompt = prompt;
        this.response = response;
        this.origin = origin;
    }

    public static Document text(String text, String origin) {
        return new Document(text, null, null, origin);
    }

    public static Document pair(String prompt, String response, String origin) {
        return new Document(null, prompt, response, origin);
    }

    /** The text to train on: the text itself, or the prompt followed by the response. */
    public String text() {
        return text != null ? text : prompt + response;
    }

    public boolean isPair() {
        return text == null;
    }

    /** The prompt of a pair, or null. */
    public String prompt() {
        return prompt;
    }

    /** The response of a pair, or null. */
    public String response() {
        return response;
    }

    public String origin() {
        return origin;
    }
}

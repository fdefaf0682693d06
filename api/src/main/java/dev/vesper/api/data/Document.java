package dev.vesper.api.data;

/**
 * One document read from a source: plain text, or a prompt/response pair for fine-tuning.
 * {@code origin} names where it came from ({@code file:line}) for messages.
 */
public final class Document {
    /** What opens a user's turn, in a pair's text and in {@code vesper:chat}'s transcript. */
    public static final String USER_TURN = "User: ";
    /** What opens the model's answer; the answer follows after a space and ends with a new line. */
    public static final String MODEL_TURN = "Vesper:";

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

    /**
     * The text to train on: the text itself, or a pair as one turn of the conversation that
     * {@code vesper:chat} holds ({@link #turn}), so that a model fine-tuned on pairs answers there.
     */
    public String text() {
        return text != null ? text : turn(prompt, response);
    }

    /** {@code User: <prompt>\nVesper: <response>\n}, each part without its surrounding blanks. */
    public static String turn(String prompt, String response) {
        return USER_TURN + prompt.strip() + "\n" + MODEL_TURN + " " + response.strip() + "\n";
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

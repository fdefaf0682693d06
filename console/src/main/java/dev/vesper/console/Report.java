package dev.vesper.console;

/** Text a command has already laid out (a generation, an evaluation), with the figures behind it. */
public record Report(String text, java.util.Map<String, Object> figures) {
    @Override
    public String toString() {
        return text;
    }
}

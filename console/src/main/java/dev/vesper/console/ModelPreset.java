package dev.vesper.console;

/** One row of {@code vesper:models}. */
public record ModelPreset(String name, int layers, int heads, int dModel, int dFf, int context, int vocab,
                          long parameters) {
}

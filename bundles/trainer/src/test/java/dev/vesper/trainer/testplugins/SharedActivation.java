package dev.vesper.trainer.testplugins;

/** Stands for a third-party activation whose bundle also ships an optimizer, in the same package. */
public final class SharedActivation {
}

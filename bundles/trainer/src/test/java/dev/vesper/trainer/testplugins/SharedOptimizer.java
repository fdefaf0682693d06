package dev.vesper.trainer.testplugins;

/** Stands for a third-party optimizer sharing its package with an activation. */
public final class SharedOptimizer {
}

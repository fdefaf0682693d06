package dev.vesper.metacog.internal;

/** The logistic function and binary cross-entropy on logits, computed without overflow. */
final class Logistic {
    private Logistic() {
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** {@code -[y·log σ(z) + (1-y)·log(1-σ(z))]}; its derivative in {@code z} is {@code σ(z) - y}. */
    static double crossEntropy(double z, double y) {
        return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    }
}

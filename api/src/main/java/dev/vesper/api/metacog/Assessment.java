package dev.vesper.api.metacog;

/** The meta head's reading of one position (spec section 6). */
public final class Assessment {
    /** The error classes, in the order of {@link #errorProbabilities()}. */
    public static final String[] ERROR_CLASSES = {"factual", "logical", "incomplete"};

    private final double confidence;
    private final double[] errorProbabilities;
    private final double terminate;

    public Assessment(double confidence, double[] errorProbabilities, double terminate) {
        this.confidence = confidence;
        this.errorProbabilities = errorProbabilities.clone();
        this.terminate = terminate;
    }

    public double confidence() { return confidence; }

    public double[] errorProbabilities() { return errorProbabilities.clone(); }

    public double terminate() { return terminate; }
}

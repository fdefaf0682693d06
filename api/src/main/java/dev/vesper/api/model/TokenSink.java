package dev.vesper.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives generated token ids as they are made, for streaming. */
@ConsumerType
@FunctionalInterface
public interface TokenSink {
    /** Called once per generated token; {@code index} counts from 0 after the prompt. */
    void accept(int index, int token);
}

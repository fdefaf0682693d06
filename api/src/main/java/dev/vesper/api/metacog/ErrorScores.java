package dev.vesper.api.metacog;

/**
 * How well a meta head's error classes read some labelled texts, each at its last token.
 *
 * @param texts texts scored
 * @param loss mean divergence of the head's three probabilities from the label's: the cross-entropy
 *     less the label's own entropy, so 0 is a perfect reading. A text with an error asks for
 *     probability 1 on its class; a text labelled {@code none} asks for 1/3 on each, the reading
 *     under which no class passes the regulator's 0.5
 * @param agreement the share of texts the regulator's rule reads as labelled: an error text whose
 *     class is above 0.5, a {@code none} text with no class above 0.5
 * @since 1.2
 */
public record ErrorScores(int texts, double loss, double agreement) {
}

package dev.vesper.metacog.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Labelled texts split into training and held-out ones: a tenth of each label's texts, drawn by the
 * seed, so that the held-out texts have the labels in the file's proportions. Below
 * {@link #MIN_TO_HOLD_OUT} texts none are held out.
 */
final class HeldOutSplit {
    static final int MIN_TO_HOLD_OUT = 10;

    final List<Integer> training = new ArrayList<>();
    final List<Integer> heldOut = new ArrayList<>();

    HeldOutSplit(int[] labels, int classes, Random random) {
        for (int label = 0; label < classes; label++) {
            List<Integer> ofLabel = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    ofLabel.add(i);
                }
            }
            Collections.shuffle(ofLabel, random);
            int held = labels.length >= MIN_TO_HOLD_OUT ? (int) Math.round(ofLabel.size() / 10.0) : 0;
            heldOut.addAll(ofLabel.subList(0, held));
            training.addAll(ofLabel.subList(held, ofLabel.size()));
        }
        if (heldOut.isEmpty() && labels.length >= MIN_TO_HOLD_OUT) {
            // every label too rare to give a tenth of itself: hold out one text all the same
            heldOut.add(training.remove(random.nextInt(training.size())));
        }
        Collections.sort(heldOut);
    }
}

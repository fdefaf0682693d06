package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionTest {
    private static final List<String> TRAIN_OPTIONS = List.of("--steps", "--seed", "--seq", "--optimizer", "--model",
            "--max-tokens", "--lr", "--data", "--batch", "--optimizer-options");

    @Test
    void aNearSpellingIsSuggested() {
        assertEquals(Optional.of("--steps"), Suggestion.closest("--step", TRAIN_OPTIONS));
        assertEquals(Optional.of("--steps"), Suggestion.closest("--stpes", TRAIN_OPTIONS), "two letters swapped");
        assertEquals(Optional.of("--optimizer"), Suggestion.closest("--optimiser", TRAIN_OPTIONS));
        assertEquals(Optional.of("--max-tokens"), Suggestion.closest("--max-token", TRAIN_OPTIONS));
        assertEquals(Optional.of("--batch"), Suggestion.closest("--BATCH", TRAIN_OPTIONS), "case is not a spelling");
        assertEquals(Optional.of("train"), Suggestion.closest("trian", List.of("train", "chat", "load", "lb")));
        assertEquals(Optional.of("status"), Suggestion.closest("stat", List.of("start", "status", "stop")),
                "the start of a name before a near spelling");
        assertEquals(Optional.of("--optimizer"), Suggestion.closest("--OPTIM", TRAIN_OPTIONS), "case is not a spelling");
        assertEquals(Optional.of("--optimizer"), Suggestion.closest("--optim", TRAIN_OPTIONS),
                "cut short: of the names it starts, the one that starts the other");
        assertEquals(Optional.of("--optimizer-options"), Suggestion.closest("--optimizer-opt", TRAIN_OPTIONS));
        assertEquals(Optional.empty(), Suggestion.closest("--check", List.of("--checkpoint-every", "--checkpoint-keep")),
                "the start of two");
    }

    @Test
    void nothingIsSuggestedForAFarOrAmbiguousWord() {
        assertEquals(Optional.empty(), Suggestion.closest("--sed", TRAIN_OPTIONS), "--seed and --seq are as near");
        assertEquals(Optional.of("--seed"), Suggestion.closest("--see", TRAIN_OPTIONS), "as near, but only --seed starts so");
        assertEquals(Optional.empty(), Suggestion.closest("--colour", TRAIN_OPTIONS));
        assertEquals(Optional.empty(), Suggestion.closest("xy", List.of("lb")), "two edits on two letters is a new word");
        assertEquals("", Suggestion.didYouMean("--colour", TRAIN_OPTIONS));
        assertEquals("; did you mean --seq?", Suggestion.didYouMean("--sq", TRAIN_OPTIONS));
    }

    @Test
    void aWordOfExactlyOneDescriptionNamesItsOption() {
        Map<String, String> described = new LinkedHashMap<>();
        described.put("--model", "preset (tiny, small, medium, large) or a checkpoint folder (default tiny)");
        described.put("--data", "dataset: builtin:stories, a file or folder");
        described.put("--resume", "checkpoint folder to resume from");
        assertEquals("; did you mean --model? (preset (tiny, small, medium, large) or a checkpoint folder (default tiny))",
                Suggestion.describedBy("preset", described));
        assertEquals("", Suggestion.describedBy("checkpoint", described), "two descriptions use it");
        assertEquals("", Suggestion.describedBy("data", described), "'dataset' is another word");
        assertEquals("", Suggestion.describedBy("or", described), "too short to mean anything");
        described.put("--wait", "wait for the end, printing progress");
        assertEquals("", Suggestion.describedBy("for", described), "a joining word names nothing");
    }

    @Test
    void distanceCountsEdits() {
        assertEquals(0, Suggestion.distance("train", "train"));
        assertEquals(1, Suggestion.distance("train", "trian"));
        assertEquals(1, Suggestion.distance("steps", "step"));
        assertEquals(2, Suggestion.distance("kitten", "sitten") + Suggestion.distance("sitten", "sittin"));
        assertEquals(3, Suggestion.distance("kitten", "sitting"));
    }
}

package dev.vesper.console;

import dev.vesper.api.data.DatasetSource;
import dev.vesper.api.train.TrainingConfig;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Turns {@code vesper:train} options into a {@link TrainingConfig}. An option left out keeps its default.
 * Strict, for options declared with {@link #UNSET} as their {@code absentValue}, an empty value given is
 * refused; otherwise blank means "the default" too.
 */
final class TrainOptions {
    /**
     * The {@code absentValue} of an option whose empty value must not pass for its absence: {@code --data ""}
     * or {@code --resume ""} (from an unset shell variable) would otherwise train on the default data, or start
     * afresh, without a word.
     */
    static final String UNSET = "\u0000";

    private final TrainingConfig config = new TrainingConfig();
    private final boolean strict;

    /** Blank values mean the default. */
    TrainOptions() {
        this(false);
    }

    /** @param strict options declared with {@link #UNSET}: an empty value given is refused */
    TrainOptions(boolean strict) {
        this.strict = strict;
    }

    TrainingConfig config() {
        return config;
    }

    /** Whether the option was given, refusing an empty value when strict. */
    private boolean given(String option, String value) {
        if (UNSET.equals(value)) {
            return false;
        }
        if (value.isBlank()) {
            if (strict) {
                throw new IllegalArgumentException(option + ": the value is empty; leave the option out for its default");
            }
            return false;
        }
        return true;
    }

    TrainOptions text(String option, String value, Consumer<String> setter) {
        if (given(option, value)) {
            setter.accept(value.trim());
        }
        return this;
    }

    /**
     * A data location as the run keeps it: a file or folder made absolute, so that a resume from another
     * folder reads the same data; a location with a scheme ({@code builtin:}, {@code hf://}) as given.
     */
    static String location(String value) {
        return DatasetSource.schemeOf(value) != null ? value : Path.of(value).toAbsolutePath().normalize().toString();
    }

    TrainOptions integer(String option, String value, Consumer<Integer> setter) {
        if (given(option, value)) {
            setter.accept(parseInt(option, value));
        }
        return this;
    }

    TrainOptions positive(String option, String value, Consumer<Integer> setter) {
        if (given(option, value)) {
            setter.accept(Numbers.positive(option, value));
        }
        return this;
    }

    TrainOptions number(String option, String value, Consumer<Double> setter) {
        if (given(option, value)) {
            try {
                setter.accept(Double.parseDouble(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
            }
        }
        return this;
    }

    TrainOptions path(String option, String value, Consumer<Path> setter) {
        if (given(option, value)) {
            setter.accept(Path.of(value.trim()).toAbsolutePath());
        }
        return this;
    }

    /** {@code --config key=value[,key=value]}: values stay text; the model configuration parses and checks them. */
    TrainOptions overrides(String value, java.util.function.BiConsumer<String, Object> setter) {
        return pairs("--config", value, setter);
    }

    /**
     * {@code key=value[,key=value]}: values stay text, for the model configuration or the optimizer to parse and
     * check. A comma starts a new pair only where a {@code key=} follows, so that a value may be a list
     * ({@code features=entropy_adaptive,sparse_aware}, {@code decay=*.weight,head}).
     */
    TrainOptions pairs(String option, String value, java.util.function.BiConsumer<String, Object> setter) {
        if (!given(option, value)) {
            return this;
        }
        for (String pair : NEXT_PAIR.split(value)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " expects key=value pairs, got '" + pair.trim() + "'");
            }
            setter.accept(pair.substring(0, eq).trim(), LIST_ENDS.matcher(pair.substring(eq + 1)).replaceAll(""));
        }
        return this;
    }

    private static final java.util.regex.Pattern NEXT_PAIR = java.util.regex.Pattern.compile(",(?=\\s*[A-Za-z_][\\w.]*\\s*=)");
    /** Blanks and stray commas around a value. */
    private static final java.util.regex.Pattern LIST_ENDS = java.util.regex.Pattern.compile("^[\\s,]+|[\\s,]+$");

    /** Whether an option declared with {@link #UNSET} was given (and, when strict, not empty). */
    boolean has(String option, String value) {
        return given(option, value);
    }

    static int parseInt(String option, String value) {
        return Numbers.whole(option, value);
    }
}

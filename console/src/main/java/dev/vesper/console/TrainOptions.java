package dev.vesper.console;

import dev.vesper.api.train.TrainingConfig;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Turns {@code vesper:train} options into a {@link TrainingConfig}; blank means "the default". */
final class TrainOptions {
    /**
     * The {@code absentValue} of an option whose empty value must not pass for its absence: {@code --data ""}
     * (from an unset shell variable) would otherwise train on the default data without a word.
     */
    static final String UNSET = "\u0000";
    /** A location's scheme, as the data service reads it; a one-letter one is a drive. */
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:");

    private final TrainingConfig config = new TrainingConfig();

    TrainingConfig config() {
        return config;
    }

    TrainOptions text(String value, Consumer<String> setter) {
        if (!value.isBlank()) {
            setter.accept(value.trim());
        }
        return this;
    }

    /** An option declared with {@link #UNSET}: left out, the default; given, it must not be empty. */
    TrainOptions given(String option, String value, Consumer<String> setter) {
        if (!UNSET.equals(value)) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + ": the value is empty; leave the option out for its default");
            }
            setter.accept(value.trim());
        }
        return this;
    }

    /**
     * A data location as the run keeps it: a file or folder made absolute, so that a resume from another
     * folder reads the same data; a location with a scheme ({@code builtin:}, {@code hf://}) as given.
     */
    static String location(String value) {
        return SCHEME.matcher(value).find() ? value : Path.of(value).toAbsolutePath().normalize().toString();
    }

    TrainOptions integer(String option, String value, Consumer<Integer> setter) {
        if (!value.isBlank()) {
            setter.accept(parseInt(option, value));
        }
        return this;
    }

    TrainOptions positive(String option, String value, Consumer<Integer> setter) {
        if (!value.isBlank()) {
            setter.accept(Numbers.positive(option, value));
        }
        return this;
    }

    TrainOptions number(String option, String value, Consumer<Double> setter) {
        if (!value.isBlank()) {
            try {
                setter.accept(Double.parseDouble(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
            }
        }
        return this;
    }

    TrainOptions path(String value, Consumer<Path> setter) {
        if (!value.isBlank()) {
            setter.accept(Path.of(value.trim()).toAbsolutePath());
        }
        return this;
    }

    /** {@code key=value[,key=value]}: values stay text; the model configuration parses and checks them. */
    TrainOptions overrides(String value, java.util.function.BiConsumer<String, Object> setter) {
        if (UNSET.equals(value)) {
            return this;
        }
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config expects key=value pairs, got '" + pair.trim() + "'");
            }
            setter.accept(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return this;
    }

    static int parseInt(String option, String value) {
        return Numbers.whole(option, value);
    }
}

package dev.vesper.console;

import dev.vesper.api.train.TrainingConfig;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Turns {@code vesper:train} options into a {@link TrainingConfig}; blank means "the default". */
final class TrainOptions {
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

package dev.vesper.api.train;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Starts and keeps training jobs. Several may exist; the latest is the default for commands. */
@ProviderType
public interface TrainingService {
    /**
     * Validates the configuration and starts a job in the background.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    TrainingJob start(TrainingConfig config);

    /** All jobs of this session, oldest first. */
    List<TrainingJob> jobs();

    Optional<TrainingJob> job(String id);

    /** The most recently started job. */
    Optional<TrainingJob> latest();
}

package dev.vesper.api.train;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: register it as a service and every job reports to it. Called on the
 * training thread; keep it quick. An exception it throws is logged, never fatal to the job.
 */
@ConsumerType
public interface TrainingListener {
    void onStep(StepEvent event);

    default void onEvaluation(EvalEvent event) {
    }

    default void onStateChange(JobStatus status) {
    }
}

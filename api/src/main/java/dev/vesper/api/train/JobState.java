package dev.vesper.api.train;

/** The life of a training job. */
public enum JobState {
    PREPARING, RUNNING, PAUSED,
    /** Paused because a service it needs (optimizer, activation) went away; resumes when one returns. */
    WAITING,
    FINISHED, STOPPED, FAILED;

    public boolean ended() {
        return this == FINISHED || this == STOPPED || this == FAILED;
    }
}

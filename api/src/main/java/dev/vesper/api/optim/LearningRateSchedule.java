package dev.vesper.api.optim;

import org.osgi.annotation.versioning.ConsumerType;

/** The learning rate for each step, counted from 1. */
@ConsumerType
@FunctionalInterface
public interface LearningRateSchedule {
    double at(long step);
}

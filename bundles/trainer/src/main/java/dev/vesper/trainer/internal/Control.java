package dev.vesper.trainer.internal;

/**
 * Requests from other threads to a job's thread, which reads them at step boundaries. Also the
 * monitor on which a paused or waiting job sleeps until something changes.
 */
final class Control {
    /** A pending optimizer switch. */
    record OptimizerSwitch(String name, boolean freshState) {
    }

    private boolean pause;
    private boolean stop;
    /** Why the job is being stopped when the user did not ask for it; null when it was asked. */
    private String stopReason;
    private OptimizerSwitch optimizer;
    private String activation;
    private volatile long serviceChange = System.nanoTime() - Long.MAX_VALUE / 2;

    synchronized void pause() {
        pause = true;
        notifyAll();
    }

    synchronized void resume() {
        pause = false;
        notifyAll();
    }

    synchronized void stop() {
        stop = true;
        notifyAll();
    }

    /** Stops the job for {@code reason}, which its end says (the user did not ask for it). */
    synchronized void stop(String reason) {
        if (!stop) {
            stopReason = reason;   // a stop the user asked for first stays theirs
        }
        stop();
    }

    synchronized String stopReason() {
        return stopReason;
    }

    synchronized void switchOptimizer(String name, boolean freshState) {
        optimizer = new OptimizerSwitch(name, freshState);
        notifyAll();
    }

    synchronized void switchActivation(String name) {
        activation = name;
        notifyAll();
    }

    /** Services came or went: a waiting job looks again. */
    synchronized void servicesChanged() {
        serviceChange = System.nanoTime();
        notifyAll();
    }

    /** Milliseconds since services last came or went (very large when they never did). */
    long millisSinceServiceChange() {
        return (System.nanoTime() - serviceChange) / 1_000_000;
    }

    synchronized boolean stopRequested() {
        return stop;
    }

    synchronized boolean pauseRequested() {
        return pause;
    }

    synchronized OptimizerSwitch takeOptimizerSwitch() {
        OptimizerSwitch s = optimizer;
        optimizer = null;
        return s;
    }

    synchronized String takeActivationSwitch() {
        String a = activation;
        activation = null;
        return a;
    }

    /**
     * Sleeps until services come or go, at most {@code millis}; returns whether they did. A request (pause,
     * stop, a switch) does not end the wait.
     */
    synchronized boolean awaitServiceChange(long millis) throws InterruptedException {
        long before = serviceChange;
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (serviceChange == before) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Sleeps until a request or a service change arrives, or {@code millis} pass. */
    synchronized void await(long millis) throws InterruptedException {
        wait(millis);
    }
}

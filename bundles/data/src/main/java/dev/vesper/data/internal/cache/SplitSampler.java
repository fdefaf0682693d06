package dev.vesper.data.internal.cache;

import dev.vesper.api.data.BatchSampler;

/**
 * What the samplers of a split share: the batch shape, and a position that is all the state a
 * resume needs ({@link #seek} to it and the next batch is the one drawn there before).
 */
abstract class SplitSampler implements BatchSampler {
    protected final int batch;
    protected final int seq;
    protected long position;

    SplitSampler(int batch, int seq) {
        if (batch < 1 || seq < 1) {
            throw new IllegalArgumentException("batch and seq must be positive, got batch " + batch + ", seq " + seq);
        }
        this.batch = batch;
        this.seq = seq;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int seq() {
        return seq;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        this.position = position;
    }

    /** Refuses buffers shorter than one batch. */
    protected void checkBuffers(int[] inputs, int[] targets) {
        if (inputs.length < batch * seq || targets.length < batch * seq) {
            throw new IllegalArgumentException("inputs and targets need batch * seq = " + batch * seq + " ints");
        }
    }
}

package dev.vesper.data.internal.hub;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body taken chunk by chunk in the reading thread, each chunk awaited for at most an idle
 * timeout. The JDK HttpClient's request timeout covers only the wait for the headers, and the
 * InputStream it offers for a body blocks a read for as long as the server sends nothing; it also
 * swallows an interrupt (JDK 17), so even a stopped job could not end it. Waiting on a queue gives
 * both: a server that stops sending ({@link Stalled}), and an interrupt ({@link InterruptedIOException}).
 * Closing it cancels the transfer, which lets the connection go.
 */
final class BodyChunks implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    /** No chunk came within the idle timeout. */
    static final class Stalled extends IOException {
        private static final long serialVersionUID = 1L;

        Stalled(Duration idle) {
            super("nothing came for " + HubClient.describe(idle));
        }
    }

    /** Put on the queue when the body ends. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration idleTimeout;
    private Flow.Subscription subscription;
    /** Cancelled, or the body ended: the subscription is not to be touched again. */
    private boolean closed;

    BodyChunks(Flow.Publisher<List<ByteBuffer>> body, Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        body.subscribe(this);
    }

    /** The next chunk, or null at the end of the body. */
    List<ByteBuffer> next() throws IOException {
        Object item;
        try {
            item = queue.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // whoever interrupted will look for it
            InterruptedIOException stopped = new InterruptedIOException("interrupted");
            stopped.initCause(e);
            throw stopped;
        }
        if (item == null) {
            throw new Stalled(idleTimeout);
        }
        if (item == END) {
            queue.add(END);   // a later call sees the end again
            return null;
        }
        if (item instanceof Throwable t) {
            // wrapped: the HttpClient's thread raised it, the reading thread's stack is the one to show
            throw new IOException(t instanceof IOException io ? HubClient.why(io) : t.toString(), t);
        }
        request();
        @SuppressWarnings("unchecked")
        List<ByteBuffer> chunk = (List<ByteBuffer>) item;
        return chunk;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);   // one chunk at a time: the HttpClient holds the rest back
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        ended();
        queue.add(t);
    }

    @Override
    public void onComplete() {
        ended();
        queue.add(END);
    }

    /** An ended body's subscription is not cancelled: the connection goes back to the client's pool. */
    private synchronized void ended() {
        closed = true;
    }

    private synchronized void request() {
        if (!closed) {
            subscription.request(1);
        }
    }

    /** Cancels the transfer unless it has ended; also when the subscription has yet to come. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}

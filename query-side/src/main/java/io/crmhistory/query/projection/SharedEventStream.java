package io.crmhistory.query.projection;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the read models' processors share one read of the event stream. Each processor used to read and deserialize
 * every event itself, through its own stream: four reads over the link to the event store's file and four
 * deserializations (and decryptions of personal fields) of every event, a fifth of the query side's CPU in a
 * recorded import. Here the processors that are close to each other read from one window of the newest events
 * (at most {@code capacity}), filled from one stream of the store by whichever of them reaches its front, and they
 * share the messages, so each payload is deserialized once. A processor further behind reads through its own
 * stream, as before, until it comes close enough to join.
 * <p>
 * Axon's own sharing ({@code EmbeddedEventStore} with {@code optimizeEventConsumption}) is off because a processor
 * that falls behind keeps every newer event reachable (see {@code PrivateStreamsEventStoreAutoConfiguration}).
 * Here the window is a ring of fixed size, and a reader holds a position, not a reference into it: one that falls
 * out of the window goes back to its own stream and holds nothing.
 * <p>
 * A reader whose last token <em>covers</em> the token of a window entry joins after that entry. It then receives
 * every event the window has after it, a superset of what it still needs: with gaps in the tokens (writers that
 * committed out of order), the window may deliver again an event the reader had already seen. Axon's work package
 * drops an event its last token covers, and a projection skips an event at or below a customer's last sequence, so
 * a repeat changes nothing; an event the reader has not seen is never missed, since the entry's token covers all the
 * window delivered up to it and the reader's token covers that.
 */
public final class SharedEventStream {

    /** How many events a reader at the front takes from the store at once. */
    private static final int FILL = 500;
    /** A reader on its own stream looks for the window after this many events, and whenever its stream is idle. */
    private static final int JOIN_CHECK_INTERVAL = 256;

    private final StreamableMessageSource<TrackedEventMessage<?>> store;
    private final int capacity;
    private final AtomicReferenceArray<TrackedEventMessage<?>> ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** The first position still in the ring; advanced before its slot is overwritten. */
    private volatile long oldest;
    /** The position the next event from the store takes; advanced after its slot is written. */
    private volatile long next;
    /** The token before the entry at {@link #oldest}, that is, where the window begins. Guarded by the lock. */
    private TrackingToken base;
    /** The store's stream the window is filled from, positioned at {@link #next}; null until needed. Guarded. */
    private BlockingStream<TrackedEventMessage<?>> source;
    private boolean filling;
    private int members;

    /** The smallest window: twice the {@value #FILL} events a reader at the front reads from the store at once. */
    static final int MIN_CAPACITY = 2 * FILL;

    /** @param capacity the window's size in events, at least {@link #MIN_CAPACITY} */
    public SharedEventStream(StreamableMessageSource<TrackedEventMessage<?>> store, int capacity) {
        requireCapacity(capacity);
        this.store = store;
        this.capacity = capacity;
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    static void requireCapacity(int capacity) {
        if (capacity < MIN_CAPACITY) {
            throw new IllegalArgumentException("a shared window of " + capacity + " events is smaller than "
                    + MIN_CAPACITY);
        }
    }

    /**
     * The source one processor reads from: the window while it is close enough to the others, else streams of its
     * own from {@code own}, which is the store itself or the same rows through other upcasters (the same events in
     * the same order with the same tokens). In the window it gets the store's messages, so a processor with another
     * source must accept either.
     */
    public Readers readers(StreamableMessageSource<TrackedEventMessage<?>> own) {
        return new Readers(own);
    }

    /** One processor's view of the window ({@link #readers}). */
    public final class Readers implements StreamableMessageSource<TrackedEventMessage<?>> {

        private final StreamableMessageSource<TrackedEventMessage<?>> own;
        private volatile Reader current;

        private Readers(StreamableMessageSource<TrackedEventMessage<?>> own) {
            this.own = own;
        }

        /**
         * Whether the newest stream opened here reads from the window now. Its reader runs ahead of the events its
         * processor handles, so around a move into or out of the window the answer is already the next one.
         */
        public boolean readsWindow() {
            Reader reader = current;
            return reader != null && reader.inWindow();
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            Reader reader = new Reader(trackingToken, own);
            current = reader;
            return reader;
        }

        @Override
        public TrackingToken createTailToken() {
            return store.createTailToken();
        }

        @Override
        public TrackingToken createHeadToken() {
            return store.createHeadToken();
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return store.createTokenAt(dateTime);
        }

        @Override
        public TrackingToken createTokenSince(Duration duration) {
            return store.createTokenSince(duration);
        }
    }

    /** How many readers read from the window now (for tests and diagnostics). */
    int members() {
        lock.lock();
        try {
            return members;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a reader whose last token is {@code token} a member of the window, if it may join: after the newest
     * entry its token covers, among the newer three quarters of the window (one joining at the very end would fall
     * out again at once) and at most half a window ahead of the newest (the window reads what lies between for the
     * others); or, when nobody reads from the window, by starting the window again where the reader is.
     *
     * @return the position of the reader's next event, or -1 when it reads on by itself
     */
    private long join(TrackingToken token) {
        lock.lock();
        try {
            if (token != null && next > oldest) {
                long after = newestCoveredBy(token, Math.max(oldest, next - capacity * 3L / 4));
                if (after >= 0) {
                    members++;
                    return after + 1;
                }
            }
            if (members == 0) {
                restartAt(token);
                members++;
                return next;
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the newest position from {@code earliest} on whose token {@code token} covers, or -1. */
    private long newestCoveredBy(TrackingToken token, long earliest) {
        if (token.position().isEmpty()) {
            return -1;
        }
        long target = token.position().getAsLong();
        long newest = next - 1;
        if (target - indexAt(newest) > capacity / 2) {
            return -1;
        }
        // Positions of the window's tokens never decrease: find the last one not beyond the reader's, then step back
        // over the few entries at the same position (gaps being filled) until one is covered.
        long low = earliest;
        long high = newest;
        long candidate = -1;
        while (low <= high) {
            long middle = (low + high) >>> 1;
            if (indexAt(middle) <= target) {
                candidate = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        for (long at = candidate; at >= earliest && at > candidate - 64; at--) {
            if (token.covers(tokenAt(at))) {
                return at;
            }
        }
        return -1;
    }

    private long indexAt(long windowPosition) {
        return tokenAt(windowPosition).position().orElse(Long.MIN_VALUE);
    }

    private TrackingToken tokenAt(long position) {
        return ring.get(slot(position)).trackingToken();
    }

    /** Empties the window and has it begin at {@code token}. Under the lock, with no members. */
    private void restartAt(TrackingToken token) {
        closeSource();
        oldest = next;
        base = token;
    }

    private void closeSource() {
        if (source != null) {
            source.close();
            source = null;
        }
    }

    private int slot(long position) {
        return (int) (position % capacity);
    }

    /**
     * The event at {@code position}, reading more from the store when the position is the window's front and
     * waiting up to the timeout for it; null when there is none yet, or when the position fell out of the window
     * ({@link #fellBehind}).
     */
    private TrackedEventMessage<?> eventAt(long position, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (position < oldest) {
                return null;
            }
            if (position < next) {
                TrackedEventMessage<?> event = ring.get(slot(position));
                // The slot may have been reused between the two reads: oldest moves before a slot is overwritten.
                return position < oldest ? null : event;
            }
            long left = deadline - System.nanoTime();
            if (!fill(Math.max(0, left)) && System.nanoTime() - deadline >= 0) {
                return null;
            }
        }
    }

    private boolean fellBehind(long position) {
        return position < oldest;
    }

    /**
     * Reads what the store has after the window's front into the window, waiting up to {@code timeoutNanos} for
     * something to arrive; one reader at a time does this, the others wait for its result.
     *
     * @return whether the window has grown (by this reader or another)
     */
    private boolean fill(long timeoutNanos) throws InterruptedException {
        BlockingStream<TrackedEventMessage<?>> from;
        long front;
        lock.lock();
        try {
            front = next;
            if (filling) {
                while (filling && next == front && timeoutNanos > 0) {
                    timeoutNanos = appended.awaitNanos(timeoutNanos);
                }
                return next != front;
            }
            if (source == null) {
                source = store.openStream(next == oldest ? base : tokenAt(next - 1));
            }
            from = source;
            filling = true;
        } finally {
            lock.unlock();
        }
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        boolean failed = true;
        try {
            if (from.hasNextAvailable(millis(timeoutNanos), TimeUnit.MILLISECONDS)) {
                do {
                    events.add(from.nextAvailable());
                } while (events.size() < FILL && from.hasNextAvailable());
            }
            failed = false;
        } finally {
            lock.lock();
            try {
                if (failed) {
                    // The reading reader sees the failure; the next fill opens the store's stream again.
                    closeSource();
                }
                append(events);
                filling = false;
                appended.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return !events.isEmpty();
    }

    private static int millis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    /** Under the lock. */
    private void append(List<TrackedEventMessage<?>> events) {
        for (TrackedEventMessage<?> event : events) {
            if (next - oldest == capacity) {
                base = tokenAt(oldest);
                oldest = oldest + 1;
            }
            ring.set(slot(next), event);
            next = next + 1;
        }
    }

    /** One processor's stream: from the window while it is close enough, else from a stream of its own. */
    private final class Reader implements BlockingStream<TrackedEventMessage<?>> {

        /** Where the reader reads when it is not in the window. */
        private final StreamableMessageSource<TrackedEventMessage<?>> ownSource;
        private TrackingToken lastToken;
        /** The window position of the next event, or -1 while reading from {@link #own}. */
        private long position = -1;
        /** Null while in the window; volatile for {@link #inWindow}, asked from the processor's worker thread. */
        private volatile BlockingStream<TrackedEventMessage<?>> own;
        private TrackedEventMessage<?> peeked;
        private int sinceJoinCheck;

        Reader(TrackingToken start, StreamableMessageSource<TrackedEventMessage<?>> ownSource) {
            this.ownSource = ownSource;
            this.lastToken = start;
            position = join(start);
            if (position < 0) {
                own = ownSource.openStream(start);
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return hasNextAvailable() ? Optional.of(peeked) : Optional.empty();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (peeked == null) {
                peeked = read(unit.toNanos(timeout));
            }
            return peeked != null;
        }

        @Override
        public boolean hasNextAvailable() {
            try {
                return hasNextAvailable(0, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (peeked == null) {
                peeked = read(TimeUnit.SECONDS.toNanos(1));
            }
            TrackedEventMessage<?> event = peeked;
            peeked = null;
            lastToken = event.trackingToken();
            if (position >= 0) {
                position++;
            } else {
                own.nextAvailable();
                sinceJoinCheck++;
            }
            return event;
        }

        boolean inWindow() {
            return own == null;
        }

        /** Looks at the next event without taking it. */
        private TrackedEventMessage<?> read(long timeoutNanos) throws InterruptedException {
            if (position >= 0) {
                TrackedEventMessage<?> event = eventAt(position, timeoutNanos);
                if (event != null || !fellBehind(position)) {
                    return event;
                }
                leave();
            }
            if (sinceJoinCheck >= JOIN_CHECK_INTERVAL || !own.hasNextAvailable()) {
                sinceJoinCheck = 0;
                position = join(lastToken);
                if (position >= 0) {
                    own.close();
                    own = null;
                    return read(timeoutNanos);
                }
            }
            return own.hasNextAvailable(millis(timeoutNanos), TimeUnit.MILLISECONDS) ? own.peek().orElse(null) : null;
        }

        /** Fell out of the window: on with a stream of its own from where it is. */
        private void leave() {
            quitWindow();
            own = ownSource.openStream(lastToken);
            sinceJoinCheck = 0;
        }

        private void quitWindow() {
            lock.lock();
            try {
                members--;
            } finally {
                lock.unlock();
            }
            position = -1;
        }

        @Override
        public void close() {
            if (position >= 0) {
                quitWindow();
            }
            if (own != null) {
                own.close();
                own = null;
            }
        }
    }
}

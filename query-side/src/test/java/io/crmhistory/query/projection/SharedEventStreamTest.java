package io.crmhistory.query.projection;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers of the shared stream, at different places and speeds, joining and falling out of the window, closing and
 * reopening (as a processor does when it releases and claims its segment), must each receive every event their token
 * has not seen, in the store's order, as a reader of its own stream of the store would.
 */
class SharedEventStreamTest {

    /** The store as a list of events in the order its streams deliver them, growing as writers append. */
    static final class ListStore implements StreamableMessageSource<TrackedEventMessage<?>> {

        final List<TrackedEventMessage<?>> events;
        final AtomicInteger visible = new AtomicInteger();
        final AtomicLong eventsRead = new AtomicLong();

        ListStore(List<TrackedEventMessage<?>> events) {
            this.events = events;
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
            return new BlockingStream<>() {
                int cursor = 0;

                private boolean advance() {
                    while (cursor < visible.get()) {
                        if (token == null || !token.covers(events.get(cursor).trackingToken())) {
                            return true;
                        }
                        cursor++;
                    }
                    return false;
                }

                @Override
                public Optional<TrackedEventMessage<?>> peek() {
                    return advance() ? Optional.of(events.get(cursor)) : Optional.empty();
                }

                @Override
                public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
                    long deadline = System.nanoTime() + unit.toNanos(timeout);
                    while (!advance()) {
                        if (System.nanoTime() >= deadline) {
                            return false;
                        }
                        Thread.onSpinWait();
                    }
                    return true;
                }

                @Override
                public TrackedEventMessage<?> nextAvailable() {
                    while (!advance()) {
                        Thread.onSpinWait();
                    }
                    eventsRead.incrementAndGet();
                    return events.get(cursor++);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A processor's work package: drops an event its last token covers, takes the rest in order. */
    static final class Processor {

        final SharedEventStream.Readers readers;
        final List<String> taken = new ArrayList<>();
        TrackingToken lastToken;
        BlockingStream<TrackedEventMessage<?>> stream;

        Processor(SharedEventStream shared, StreamableMessageSource<TrackedEventMessage<?>> store, TrackingToken start) {
            this.readers = shared.readers(store);
            this.lastToken = start;
            this.stream = readers.openStream(start);
        }

        /** Takes up to {@code count} events that are available now; false when none was. */
        boolean take(int count) throws InterruptedException {
            boolean any = false;
            for (int i = 0; i < count && stream.hasNextAvailable(0, TimeUnit.MILLISECONDS); i++) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                any = true;
                if (lastToken == null || !lastToken.covers(event.trackingToken())) {
                    taken.add(event.getIdentifier());
                    lastToken = event.trackingToken();
                }
            }
            return any;
        }

        void reopen() {
            stream.close();
            stream = readers.openStream(lastToken);
        }
    }

    private static List<TrackedEventMessage<?>> inOrder(int count) {
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event("e" + i, new GlobalSequenceTrackingToken(i)));
        }
        return events;
    }

    /**
     * Events as a store with concurrent writers delivers them: some commit after later ones, so tokens carry gaps
     * that a later event fills.
     */
    private static List<TrackedEventMessage<?>> withGaps(int count, Random random) {
        List<Long> order = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            order.add(i);
        }
        for (int i = 0; i + 3 < count; i += 1 + random.nextInt(6)) {
            // Commits out of order: index i arrives after the two behind it.
            Long late = order.remove(i);
            order.add(i + 2, late);
        }
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        GapAwareTrackingToken token = null;
        for (long index : order) {
            token = token == null ? GapAwareTrackingToken.newInstance(index, gapsBelow(index))
                    : token.advanceTo(index, 10_000);
            events.add(event("e" + index, token));
        }
        return events;
    }

    private static Set<Long> gapsBelow(long index) {
        Set<Long> gaps = new LinkedHashSet<>();
        for (long i = 0; i < index; i++) {
            gaps.add(i);
        }
        return gaps;
    }

    private static TrackedEventMessage<?> event(String id, TrackingToken token) {
        return event(id, token, "payload");
    }

    private static TrackedEventMessage<?> event(String id, TrackingToken token, String payload) {
        return new GenericTrackedEventMessage<>(token,
                new GenericEventMessage<>(new org.axonframework.messaging.GenericMessage<>(id, payload, java.util.Map.of()),
                        () -> java.time.Instant.EPOCH));
    }

    /** What a reader of its own stream from {@code start} receives. */
    private static List<String> expected(List<TrackedEventMessage<?>> events, TrackingToken start) {
        List<String> ids = new ArrayList<>();
        TrackingToken last = start;
        for (TrackedEventMessage<?> event : events) {
            if (last == null || !last.covers(event.trackingToken())) {
                ids.add(event.getIdentifier());
                last = event.trackingToken();
            }
        }
        return ids;
    }

    @Test
    void readersAtDifferentPlacesAndSpeedsEachReceiveWhatTheirOwnStreamWould() throws InterruptedException {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            List<TrackedEventMessage<?>> events = seed % 2 == 0 ? inOrder(20_000) : withGaps(20_000, random);
            simulate(events, random, new int[]{400, 50, 300, 120}, events.size() / 4);
        }
    }

    @Test
    void processorsKeepingPaceReadTheStoreOnceBetweenThem() throws InterruptedException {
        List<TrackedEventMessage<?>> events = withGaps(20_000, new Random(3));
        long read = simulate(events, new Random(3), new int[]{200, 200, 200, 200}, 500);
        assertThat(read).as("events read from the store by four processors").isLessThan(events.size() * 3L / 2);
    }

    /** @return how many events were read from the store */
    private long simulate(List<TrackedEventMessage<?>> events, Random random, int[] speeds, int spread)
            throws InterruptedException {
        ListStore store = new ListStore(events);
        SharedEventStream shared = new SharedEventStream(store, 2_048);
        store.visible.set(events.size() / 4);
        List<Processor> processors = new ArrayList<>();
        List<TrackingToken> starts = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            // The first at the beginning, the others anywhere in the first events up to the spread.
            TrackingToken start = p == 0 ? null : events.get(random.nextInt(spread)).trackingToken();
            starts.add(start);
            processors.add(new Processor(shared, store, start));
        }
        int idleRounds = 0;
        while (idleRounds < 3) {
            boolean any = false;
            for (int p = 0; p < processors.size(); p++) {
                any |= processors.get(p).take(1 + random.nextInt(speeds[p]));
                if (random.nextInt(200) == 0) {
                    processors.get(p).reopen();
                }
            }
            if (store.visible.get() < events.size()) {
                store.visible.set(Math.min(events.size(), store.visible.get() + random.nextInt(400)));
                any = true;
            }
            idleRounds = any ? 0 : idleRounds + 1;
        }
        for (int p = 0; p < processors.size(); p++) {
            assertThat(processors.get(p).taken).as("processor %d", p).isEqualTo(expected(events, starts.get(p)));
        }
        processors.forEach(processor -> processor.stream.close());
        assertThat(shared.members()).isZero();
        return store.eventsRead.get();
    }

    /**
     * A reader with streams of its own from another source (the same rows through other upcasters) reads there while
     * it is behind, then joins the window and receives the store's messages: every event once, in order, and
     * {@code readsWindow} says which it reads now.
     */
    @Test
    void aReaderWithItsOwnSourceReadsThereUntilItJoinsTheWindow() throws InterruptedException {
        List<TrackedEventMessage<?>> events = inOrder(6_000);
        ListStore store = new ListStore(events);
        List<TrackedEventMessage<?>> copies = new ArrayList<>();
        events.forEach(event -> copies.add(event(event.getIdentifier(), event.trackingToken(), "concealed")));
        ListStore concealed = new ListStore(copies);
        store.visible.set(events.size());
        concealed.visible.set(events.size());
        SharedEventStream shared = new SharedEventStream(store, 1_024);
        Processor front = new Processor(shared, store, events.get(4_999).trackingToken());
        while (front.take(500)) {
            // the window now holds the newest events
        }
        assertThat(front.taken).hasSize(1_000);

        SharedEventStream.Readers own = shared.readers(concealed);
        BlockingStream<TrackedEventMessage<?>> behind = own.openStream(null);
        assertThat(own.readsWindow()).isFalse();
        List<String> taken = new ArrayList<>();
        List<Object> payloads = new ArrayList<>();
        while (behind.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            TrackedEventMessage<?> event = behind.nextAvailable();
            taken.add(event.getIdentifier());
            payloads.add(event.getPayload());
        }

        assertThat(taken).isEqualTo(expected(events, null));
        assertThat(payloads.get(0)).isEqualTo("concealed");
        assertThat(payloads.get(payloads.size() - 1)).as("from the window at the end").isEqualTo("payload");
        assertThat(payloads.subList(payloads.indexOf("payload"), payloads.size())).containsOnly("payload");
        assertThat(own.readsWindow()).isTrue();
        assertThat(store.eventsRead.get()).as("the store read once, by the window").isEqualTo(1_000);
        behind.close();
        front.stream.close();
        assertThat(shared.members()).isZero();
    }

    @Test
    void concurrentReadersEachReceiveEveryEventOnce() throws Exception {
        List<TrackedEventMessage<?>> events = withGaps(50_000, new Random(7));
        ListStore store = new ListStore(events);
        SharedEventStream shared = new SharedEventStream(store, 4_096);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> readers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int pause = p;
                readers.add(threads.submit(() -> {
                    Processor processor = new Processor(shared, store, null);
                    while (processor.taken.size() < events.size()) {
                        processor.take(100);
                        if (pause > 0 && processor.taken.size() % (pause * 1000) == 0) {
                            Thread.yield();
                        }
                    }
                    processor.stream.close();
                    return processor.taken;
                }));
            }
            for (int visible = 0; visible < events.size(); visible += 500) {
                store.visible.set(visible);
                Thread.yield();
            }
            store.visible.set(events.size());
            List<String> expected = expected(events, null);
            for (Future<List<String>> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}

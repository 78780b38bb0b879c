package io.crmhistory.query.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.platform.config.RefusedSetting;
import io.crmhistory.query.privacy.ErasureProjected;
import io.crmhistory.query.projection.EventEnvelope;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A customer's whole stream of events for the as-of questions, with the streams of long histories kept in memory:
 * an auditor asks about one customer at one instant, then at the next. Stored events never change, so a kept
 * stream stays right; every question still reads the store from the event after the last one kept and is answered
 * with everything up to the head. What is saved is reading the kept part again: 10,000 events take about 0.2 s to
 * cross H2's link from the file's owner, more than the fold of them.
 * <p>
 * Payloads are kept revealed. An erasure this process projects drops the customer's kept stream at once
 * ({@link ErasureProjected}), and an idle one expires on time. An erasure among the newly read events drops what was kept and the customer is read
 * again from the first event (the key is gone by then, so nothing is revealed): a stream kept from before an
 * erasure is never answered with, and a late copy of it never replaces the newer one. A first read that meets an
 * erasure is done twice ({@link #readAll}). Bounded by the number of
 * events kept in all ({@code crm.audit.as-of-cache.max-events}, 0 keeps none); customers with fewer than
 * {@code crm.audit.as-of-cache.min-events} are not kept, their read is cheap anyway.
 * <p>
 * A stream of more than {@code crm.audit.as-of.max-events-held} events is not held at all (writers may record
 * contacts without limit): its questions are answered as it is read ({@link #stream}, {@link
 * AsOfReplay#replayStreamed}). Streams only grow, so a customer once found to have too many is remembered and not
 * read up to the limit again. Events are read with only the profile's personal fields revealed ({@link
 * AsOfReplay#USE}): a contact's words are in no state, so they are neither decrypted nor held.
 */
@Component
class CustomerTimelines {

    private final CustomerEventStreams streams;
    private final Cache<String, List<EventEnvelope>> kept;
    /** Customers with more events than may be held. */
    private final Cache<String, Boolean> tooLong = Caffeine.newBuilder().maximumSize(10_000).build();
    private final int minEvents;
    private final int maxHeld;

    CustomerTimelines(CustomerEventStreams streams,
                      @Value("${crm.audit.as-of-cache.max-events:100000}") long maxEvents,
                      @Value("${crm.audit.as-of-cache.min-events:1000}") int minEvents,
                      @Value("${crm.audit.as-of-cache.idle-expiry:10m}") Duration idleExpiry,
                      @Value("${crm.audit.as-of.max-events-held:100000}") int maxHeld) {
        this.streams = streams;
        this.minEvents = minEvents;
        if (maxHeld < 1) {
            throw new RefusedSetting("crm.audit.as-of.max-events-held", "must be at least 1, not " + maxHeld);
        }
        this.maxHeld = maxHeld;
        this.kept = Caffeine.newBuilder()
                .maximumWeight(maxEvents)
                .<String, List<EventEnvelope>>weigher((customerId, events) -> events.size())
                .expireAfterAccess(idleExpiry)
                // Expiry happens on time, not only at the cache's next use: kept streams hold revealed personal data.
                .scheduler(Scheduler.systemScheduler())
                .build();
    }

    /** An erasure this process projected: the customer's kept stream, revealed, goes at once. */
    @EventListener
    void on(ErasureProjected erasure) {
        kept.invalidate(erasure.customerId());
    }

    boolean keeps(String customerId) {
        return kept.getIfPresent(customerId) != null;
    }

    /** At most this many events of one customer are held in memory. */
    int maxHeld() {
        return maxHeld;
    }

    /**
     * Every event of the customer, in sequence order, up to the head of the store; null when there are more than
     * {@link #maxHeld()} (then {@link #stream} them).
     *
     * @throws io.crmhistory.query.projection.UnknownCustomerException when the store holds no customer with this id
     */
    List<EventEnvelope> events(String customerId) {
        if (tooLong.getIfPresent(customerId) != null) {
            return null;
        }
        List<EventEnvelope> before = kept.getIfPresent(customerId);
        List<EventEnvelope> events = before == null ? readAll(customerId) : extended(customerId, before);
        if (events == null) {
            tooLong.put(customerId, Boolean.TRUE);
        } else if (events.size() >= minEvents) {
            kept.asMap().merge(customerId, events, (old, fresh) -> fresh.size() >= old.size() ? fresh : old);
        }
        return events;
    }

    /** The customer's whole stream from its first event, read as it is consumed, never held. */
    Iterator<EventEnvelope> stream(String customerId) {
        return streams.open(customerId, AsOfReplay.USE).asStream().map(CustomerEventStreams::envelope).iterator();
    }

    private List<EventEnvelope> extended(String customerId, List<EventEnvelope> before) {
        List<EventEnvelope> newer = read(streams.from(customerId, before.get(before.size() - 1).sequence() + 1,
                AsOfReplay.USE), maxHeld - before.size());
        if (newer == null) {
            kept.invalidate(customerId);
            return null;
        }
        if (newer.isEmpty()) {
            return before;
        }
        if (erased(newer)) {
            kept.invalidate(customerId);
            return readAll(customerId);
        }
        List<EventEnvelope> events = new ArrayList<>(before.size() + newer.size());
        events.addAll(before);
        events.addAll(newer);
        return List.copyOf(events);
    }

    /**
     * A long stream is read in several queries (up to 10,000 events each), so an erasure can commit between two of them: the events
     * read before it were revealed with the key it destroyed. A read that ends with an erasure is therefore done
     * once more, with the key gone (the erasure destroys it in the transaction that stores its event).
     */
    private List<EventEnvelope> readAll(String customerId) {
        List<EventEnvelope> events = read(streams.open(customerId, AsOfReplay.USE), maxHeld);
        return events != null && erased(events) ? read(streams.open(customerId, AsOfReplay.USE), maxHeld) : events;
    }

    private static boolean erased(List<EventEnvelope> events) {
        return events.stream().anyMatch(envelope -> envelope.event() instanceof CustomerPersonalDataErased);
    }

    /** The stream's events, or null as soon as there are more than {@code limit}. */
    private static List<EventEnvelope> read(DomainEventStream stream, int limit) {
        List<EventEnvelope> events = new ArrayList<>();
        while (stream.hasNext()) {
            if (events.size() == limit) {
                return null;
            }
            events.add(CustomerEventStreams.envelope(stream.next()));
        }
        return List.copyOf(events);
    }
}

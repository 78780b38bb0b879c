package io.crmhistory.query.projection;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link BackgroundRefresh} has done, kept in {@value #COLLECTION} so that a start need not redo it all.
 *
 * <p>A background refresh keeps figures derived from other read models (the segment and forecast on each directory
 * entry) and holds its queue in memory: a crash loses the queue, and the derived figures of those customers stay
 * stale. Refreshing every customer after every start is safe but costs minutes of both cores at a million customers
 * (277 s in session 25). The ledger instead records
 * <ul>
 *     <li>the <em>basis</em> of the last completed full refresh (the read-model versions it was made from, and
 *     when), so a start after a version switch, or after a full refresh that never completed, still refreshes
 *     everyone;</li>
 *     <li>one <em>session</em> per running instance and refresh, with a heartbeat. A clean stop, with its queue
 *     done, deletes the session; an unclean stop (work left or failed) marks it abandoned; a crash leaves it to go
 *     stale. Any instance that finds another's session abandoned or stale refreshes everyone and then deletes it,
 *     so a crash is repaired by whichever instance sees it first, at its start or while it runs.</li>
 * </ul>
 * A clean-stop marker alone would not do with several instances: one instance's start would clear what another
 * instance's crash left.
 *
 * <p>The session is opened when the refresh's owner is made, before the projections start: a store that loses its
 * newest writes in a crash (the embedded one commits every few seconds) then loses whatever the instance wrote after
 * the session too, projections' batches and their tracking tokens alike, and those batches are projected again
 * (and refreshed) by the next start. A session opened later could be lost while a batch written before it is kept.
 */
public final class RefreshLedger {

    private static final Logger log = LoggerFactory.getLogger(RefreshLedger.class);

    static final String COLLECTION = "refresh_ledger";
    private static final String SESSION = "session";
    private static final String BASIS = "basis";
    private static final Instant ABANDONED = Instant.EPOCH;

    /** The basis of the last completed full refresh and the time it was made as of. */
    public record Basis(String basis, Instant asOf) {
    }

    private final MongoTemplate mongo;
    private final String refresh;
    private final Clock clock;
    private final Duration beatEvery;
    private final Duration staleAfter;
    private final String sessionId;
    private volatile Instant nextBeat = Instant.MIN;
    private volatile boolean open;
    private volatile boolean closed;
    /** Abandoned sessions already handed out for repair: one full refresh each, however long it runs. */
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

    /**
     * @param clock      operational time (heartbeats), not the business clock a test may pin
     * @param staleAfter how long a session may miss its heartbeat before its instance is taken for crashed
     */
    RefreshLedger(MongoTemplate mongo, String refresh, Clock clock, Duration beatEvery, Duration staleAfter) {
        if (staleAfter.compareTo(beatEvery.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("staleAfter " + staleAfter + " must be at least twice beatEvery "
                    + beatEvery + ", or a live instance's session would be taken for a crashed one");
        }
        this.mongo = mongo;
        this.refresh = refresh;
        this.clock = clock;
        this.beatEvery = beatEvery;
        this.staleAfter = staleAfter;
        this.sessionId = refresh + ":" + SESSION + ":" + UUID.randomUUID();
    }

    /**
     * Starts this instance's session, before the projections start (see the class); answers the basis of the last
     * completed full refresh, if any. The first {@link #beatAndFindAbandoned} looks at once.
     */
    Optional<Basis> open() {
        open = !closed;
        if (open) {
            writeBeat(clock.instant());
        }
        Document basis = mongo.findById(basisId(), Document.class, COLLECTION);
        return Optional.ofNullable(basis)
                .map(doc -> new Basis(doc.getString(BASIS), doc.getDate("asOf").toInstant()));
    }

    /**
     * Beats this instance's heartbeat and looks for sessions of other instances that stopped uncleanly or went
     * stale, at most once every {@code beatEvery}.
     *
     * @return the sessions owed a full refresh and not handed out before; empty when none were found, or it was not
     * yet time to look
     */
    Set<String> beatAndFindAbandoned() {
        if (!open || clock.instant().isBefore(nextBeat)) {
            return Set.of();
        }
        try {
            return lookForAbandoned();
        } catch (RuntimeException e) {
            // The store is unavailable: the next call tries again (the time of the next beat moved on only if the
            // beat was written), and the caller's other work for this round is not lost with an exception.
            log.warn("Could not beat {}'s heartbeat or look for abandoned sessions: {}", refresh, e.toString());
            return Set.of();
        }
    }

    private Set<String> lookForAbandoned() {
        beat();
        Query abandoned = Query.query(Criteria.where("refresh").is(refresh).and("kind").is(SESSION)
                .and("_id").ne(sessionId)
                .and("beat").lt(Date.from(clock.instant().minus(staleAfter))));
        abandoned.fields().include("_id");
        Set<String> ids = new LinkedHashSet<>();
        mongo.find(abandoned, Document.class, COLLECTION).forEach(doc -> {
            String id = doc.getString("_id");
            if (handedOut.add(id)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The full refresh the sessions handed out were owed failed: the next look hands them out again. */
    void handOutAgain() {
        handedOut.clear();
    }

    /** Deletes these abandoned sessions, which left nothing to repair (the refresh had nothing to keep). */
    void dismiss(Set<String> sessions) {
        if (!sessions.isEmpty()) {
            mongo.remove(Query.query(Criteria.where("_id").in(sessions)), COLLECTION);
            handedOut.removeAll(sessions);
        }
    }

    /** Records a completed full refresh from {@code basis}, which has repaired what these sessions left. */
    void fullyRefreshed(String basis, Instant asOf, Set<String> repairedSessions) {
        mongo.upsert(Query.query(Criteria.where("_id").is(basisId())),
                new Update().set("refresh", refresh).set("kind", BASIS).set(BASIS, basis).set("asOf", Date.from(asOf)),
                COLLECTION);
        dismiss(repairedSessions);
    }

    /**
     * Ends this instance's session: {@code clean} when nothing the refresh owed is lost (its queue was done), and
     * the session goes; otherwise it is marked abandoned, for the next look to refresh everyone.
     */
    void close(boolean clean) {
        closed = true;
        if (!open) {
            return;
        }
        open = false;
        if (clean) {
            mongo.remove(Query.query(Criteria.where("_id").is(sessionId)), COLLECTION);
            log.info("{} stopped with nothing owed", refresh);
        } else {
            writeBeat(ABANDONED);
            log.warn("{} stopped with refreshes owed (a run not done in time, a failed run, or more deferred than "
                    + "remembered): the next look refreshes everyone", refresh);
        }
    }

    private void beat() {
        Instant now = clock.instant();
        writeBeat(now);
        nextBeat = now.plus(beatEvery);
    }

    private void writeBeat(Instant at) {
        // An upsert: another instance may have taken this one for crashed (a long pause) and deleted its session.
        mongo.upsert(Query.query(Criteria.where("_id").is(sessionId)),
                new Update().set("refresh", refresh).set("kind", SESSION).set("beat", Date.from(at)), COLLECTION);
    }

    private String basisId() {
        return refresh + ":" + BASIS;
    }
}

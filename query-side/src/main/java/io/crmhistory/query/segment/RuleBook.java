package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.FxRates;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Duration;
import java.time.Instant;

/**
 * The segmentation rules in force, as the segment projection has seen them published: version 1
 * ({@link SegmentationRuleSet#DEFAULT}) until a later version arrives. Later versions are kept in
 * {@value #COLLECTION} (of the read model's version), beside the segments they shaped, and rebuilt with them.
 * <p>
 * Only the instance whose processor handles a publication stores it; every other query-side instance (a hot standby,
 * which still runs daily re-evaluations, finishes interrupted ones, answers segment lists) sees it by reading the
 * collection again, at most every {@link #REFRESH_INTERVAL}. Before, each instance kept the rules it read at its start.
 */
final class RuleBook {

    static final String COLLECTION = "segment_rules";
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);

    private final MongoTemplate mongo;
    private final String collection;
    private final FxRates fx;
    private final SegmentForecaster forecaster;
    private final long refreshNanos;
    private volatile SegmentEvaluator current;
    private volatile long readAt;

    RuleBook(MongoTemplate mongo, String collection, FxRates fx, SegmentForecaster forecaster) {
        this(mongo, collection, fx, forecaster, REFRESH_INTERVAL);
    }

    RuleBook(MongoTemplate mongo, String collection, FxRates fx, SegmentForecaster forecaster, Duration refreshInterval) {
        this.forecaster = forecaster;
        this.mongo = mongo;
        this.collection = collection;
        this.fx = fx;
        this.refreshNanos = refreshInterval.toNanos();
        this.current = defaults();
        readLatest();
    }

    /** The newest rules stored, read again when the last read is older than the refresh interval. */
    SegmentEvaluator current() {
        if (System.nanoTime() - readAt > refreshNanos) {
            readLatest();
        }
        return current;
    }

    /** The rules of {@code version} (a re-evaluation run finishes under the rules it began with). */
    SegmentEvaluator evaluator(int version) {
        SegmentEvaluator inForce = current();
        if (version == inForce.version()) {
            return inForce;
        }
        if (version == 1) {
            return defaults();
        }
        PublishedRules stored = mongo.findById(version, PublishedRules.class, collection);
        if (stored == null) {
            throw new IllegalStateException("segmentation rules version " + version + " are not in " + collection);
        }
        return new SegmentEvaluator(stored.id(), stored.ruleSet(), fx, forecaster);
    }

    private synchronized void readLatest() {
        PublishedRules latest = mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                PublishedRules.class, collection);
        if (latest != null && latest.id() > current.version()) {
            current = new SegmentEvaluator(latest.id(), latest.ruleSet(), fx, forecaster);
        }
        readAt = System.nanoTime();
    }

    /** @return whether {@code published} is newer than the rules in force (older ones are replays) */
    synchronized boolean publish(SegmentationRulesPublished published) {
        if (published.version() <= current.version()) {
            return false;
        }
        SegmentEvaluator next = new SegmentEvaluator(published.version(), published.ruleSet(), fx, forecaster);
        mongo.save(new PublishedRules(published.version(), published.ruleSet(), published.publishedBy(),
                published.occurredAt().toInstant()), collection);
        current = next;
        return true;
    }

    String collection() {
        return collection;
    }

    private SegmentEvaluator defaults() {
        return new SegmentEvaluator(1, SegmentationRuleSet.DEFAULT, fx, forecaster);
    }

    record PublishedRules(int id, SegmentationRuleSet ruleSet, String publishedBy, Instant occurredAt) {
    }
}

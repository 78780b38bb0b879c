package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.FxRates;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;

/**
 * The segmentation rules in force, as the segment projection has seen them published: version 1
 * ({@link SegmentationRuleSet#DEFAULT}) until a later version arrives. Later versions are kept in
 * {@value #COLLECTION} (of the read model's version), beside the segments they shaped, and rebuilt with them.
 */
final class RuleBook {

    static final String COLLECTION = "segment_rules";

    private final MongoTemplate mongo;
    private final String collection;
    private final FxRates fx;
    private final SegmentForecaster forecaster;
    private volatile SegmentEvaluator current;

    RuleBook(MongoTemplate mongo, String collection, FxRates fx, SegmentForecaster forecaster) {
        this.forecaster = forecaster;
        this.mongo = mongo;
        this.collection = collection;
        this.fx = fx;
        PublishedRules latest = mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                PublishedRules.class, collection);
        this.current = latest == null ? defaults() : new SegmentEvaluator(latest.id(), latest.ruleSet(), fx, forecaster);
    }

    SegmentEvaluator current() {
        return current;
    }

    /** @return whether {@code published} is newer than the rules in force (older ones are replays) */
    boolean publish(SegmentationRulesPublished published) {
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

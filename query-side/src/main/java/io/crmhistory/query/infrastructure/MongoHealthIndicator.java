package io.crmhistory.query.infrastructure;

import org.bson.Document;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code mongo} in {@code /actuator/health}: a {@code ping} of the read models' database. Replaces Boot's
 * indicator, whose {@code hello} command the embedded server does not know (MongoDB answers both).
 */
@Component("mongoHealthIndicator")
class MongoHealthIndicator extends AbstractHealthIndicator {

    private final MongoTemplate mongo;

    MongoHealthIndicator(MongoTemplate mongo) {
        super("MongoDB health check failed");
        this.mongo = mongo;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Document ping = mongo.executeCommand(new Document("ping", 1));
        builder.up().withDetail("database", mongo.getDb().getName()).withDetail("ping", ping.get("ok"));
    }
}

package io.crmhistory.query.projection;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the projection processors run ({@code crm.projections.*}), with the defaults in one place. A batch size below 1,
 * a shared window below its minimum, a token claim interval below a millisecond (Axon's processor would spin or refuse
 * it) or a negative retire grace stops the query side at start-up, not when a rebuild first starts a processor.
 *
 * @param batchSize         events per batch of a live version: one query loads the batch's customers, one bulk write
 *                          stores them
 * @param rebuildBatchSize  the same for a version being rebuilt, which nobody reads yet: a customer's state is written
 *                          fewer times (docs/benchmarks-log.md, session 42). Axon's pooled processor queues at most 1,024
 *                          events per work package and a batch takes only queued events, so a larger value changes
 *                          next to nothing (session 43). A version keeps the size it started with until its processor
 *                          stops.
 * @param tokenClaimInterval how soon a free segment is claimed: a second instance must not wait long to take over a
 *                          released one; at least a millisecond
 * @param sharedWindow      events in the window of newest events the processors read together
 *                          ({@link SharedEventStream}, at least {@value SharedEventStream#MIN_CAPACITY}); 0 lets each
 *                          processor read its own stream
 * @param retireGrace       how long a replaced or cancelled read-model version is kept before it is dropped, time for
 *                          other query-side instances to stop writing to it; 0 drops it at once, never negative
 * @param deadLetterCustomers    customers a version's dead-letter queue holds letters for, and
 * @param deadLettersPerCustomer letters it holds for one customer (the event that failed and every later event of the
 *                          customer, held behind it): Axon's queue refuses the next one beyond either, and the
 *                          processor then stops at that event until letters are retried or dropped. Axon's defaults
 *                          (1,024 each) are reached by one customer's import behind a letter; letters are documents in
 *                          the read models' database, not memory.
 */
@Validated
@ConfigurationProperties("crm.projections")
public record ProjectionSettings(@DefaultValue("500") @Positive int batchSize,
                                 @DefaultValue("1024") @Positive int rebuildBatchSize,
                                 @DefaultValue("2s") @DurationMin(millis = 1) Duration tokenClaimInterval,
                                 @DefaultValue("8192") int sharedWindow,
                                 @DefaultValue("10s") @DurationMin(millis = 0) Duration retireGrace,
                                 @DefaultValue("10000") @Positive int deadLetterCustomers,
                                 @DefaultValue("1000000") @Positive int deadLettersPerCustomer) {

    public ProjectionSettings {
        if (sharedWindow != 0) {
            SharedEventStream.requireCapacity(sharedWindow);
        }
    }

    /** The most events any processor's batch holds, live or rebuilding. */
    public int largestBatch() {
        return Math.max(batchSize, rebuildBatchSize);
    }
}

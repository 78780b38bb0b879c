package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.AuditedEvent;
import io.crmhistory.api.customer.query.ChainVerificationView;
import io.crmhistory.api.customer.query.CustomerStateAsOf;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.platform.audit.ChainVerification;
import io.crmhistory.platform.audit.ChainVerifier;
import io.crmhistory.platform.audit.JdbcEventChains;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.UnknownCustomerException;
import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.segment.SegmentEvaluator;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/** The auditors' questions about one customer, answered from the event store itself, never from read models. */
@Component
class AuditQueries {


    private final CustomerEventStreams streams;
    private final CustomerTimelines timelines;
    private final RuleVersions ruleVersions;
    private final AsOfReplay replay;
    private final ObjectProvider<JdbcEventChains> chains;

    AuditQueries(CustomerEventStreams streams, CustomerTimelines timelines, RuleVersions ruleVersions, FxRates fx,
                 ObjectProvider<JdbcEventChains> chains) {
        this.streams = streams;
        this.timelines = timelines;
        this.ruleVersions = ruleVersions;
        this.replay = new AsOfReplay(fx);
        this.chains = chains;
    }

    /**
     * The customer's events the filter keeps, in sequence order, read as they are consumed.
     *
     * @throws UnknownCustomerException at once, before anything is streamed
     */
    Iterator<AuditedEvent> events(String customerId, EventFilter filter, EventExport export) {
        DomainEventStream stream = streams.open(customerId, PersonalDataUse.ALL);
        return stream.asStream().filter(filter::test).<AuditedEvent>map(export::audited).iterator();
    }

    CustomerStateAsOf stateAsOf(String customerId, Instant asOf, Axis axis) {
        SegmentEvaluator rules = ruleVersions.inForceAt(asOf, axis);
        List<EventEnvelope> events = timelines.events(customerId);
        CustomerStateAsOf state = events != null
                ? replay.replay(customerId, events.stream().filter(envelope -> axis.includes(envelope, asOf)).toList(),
                        axis, asOf, rules)
                : replay.replayStreamed(customerId, () -> timelines.stream(customerId), axis, asOf, rules,
                        timelines.maxHeld());
        if (state == null) {
            throw new ClientInputException(HttpStatus.NOT_FOUND, List.of(new FieldProblem("asOf",
                    "customer '" + customerId + "' was not registered by " + asOf + " (axis " + axis.label() + ")")));
        }
        return state;
    }

    ChainVerificationView verify(String customerId) {
        // The rule book's stream is the only one that is not a customer's, and its id is no customer id.
        if (PublishSegmentationRules.RULE_BOOK_ID.equals(customerId)) {
            throw new UnknownCustomerException(customerId);
        }
        ChainVerifier verifier = new ChainVerifier(CustomerEventStreams.CUSTOMER, "customerId", customerId);
        // By id, not by the stored type of the first event: an edited type is what the chain must report, not hide
        // behind a 404.
        if (jdbcChains("customerId").read(customerId, verifier::accept) == 0) {
            throw new UnknownCustomerException(customerId);
        }
        return view(customerId, verifier.result());
    }

    /**
     * The rule book's publications form a hash chain of their own; no publication yet (only the default
     * version 1 in force) is an empty, valid chain.
     */
    ChainVerificationView verifyRuleBook() {
        return view(null, jdbcChains("ruleBook").verify(PublishSegmentationRules.RULE_BOOK_ID));
    }

    private JdbcEventChains jdbcChains(String field) {
        JdbcEventChains jdbc = chains.getIfAvailable();
        if (jdbc == null) {
            throw new ClientInputException(HttpStatus.NOT_IMPLEMENTED, List.of(new FieldProblem(field,
                    "chain verification reads the JDBC event store's table; this deployment's event store is not JDBC")));
        }
        return jdbc;
    }

    private static ChainVerificationView view(String id, ChainVerification verification) {
        return new ChainVerificationView(id, verification.valid(), verification.events(),
                verification.firstInvalidSequence(), verification.reason(), verification.headHash());
    }
}

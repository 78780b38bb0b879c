package io.crmhistory.query.history;

import io.crmhistory.api.customer.query.FindCustomerHistory;
import io.crmhistory.api.customer.query.HistoryItem;
import io.crmhistory.api.customer.query.HistoryItemType;
import io.crmhistory.api.customer.query.HistoryPage;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.projection.UnknownCustomerException;
import io.crmhistory.query.segment.SegmentChange;
import io.crmhistory.query.segment.SegmentChangeLog;
import io.crmhistory.query.web.Cursors;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Answers history questions: the history read model's items merged, in timeline order, with the
 * segment read model's changes (each read model keeps its own collection, so each can be rebuilt alone).
 * Both are ordered by (occurredAt, id), which is also the keyset of the cursor.
 */
@Component
class HistoryQueries {

    private final HistoryReadModel readModel;
    private final SegmentChangeLog segmentChanges;
    private final ReadModelVersions versions;

    HistoryQueries(HistoryReadModel readModel, SegmentChangeLog segmentChanges, ReadModelVersions versions) {
        this.readModel = readModel;
        this.segmentChanges = segmentChanges;
        this.versions = versions;
    }

    @QueryHandler
    HistoryPage handle(FindCustomerHistory query) {
        String customerId = query.customerId();
        if (query.minVersion() != null) {
            versions.read(Projections.HISTORY, customerId, query.minVersion(), () -> readModel.live().find(customerId),
                            HistoryState::lastSequence)
                    .orElseThrow(() -> new UnknownCustomerException(customerId));
        }
        String ordering = Cursors.ordering(query.descending() ? "history-desc" : "history-asc", customerId,
                query.types(), query.channels(), query.from(), query.to());
        Map<String, String> cursor = Cursors.decode(query.cursor(), ordering);
        Instant afterAt = cursor == null ? null : Cursors.instant(cursor.get("at"));
        String afterId = cursor == null ? null : cursor.get("id");
        int fetch = query.limit() + 1;

        Set<String> eventTypes = query.types().stream().filter(type -> type != HistoryItemType.SEGMENT_CHANGED)
                .map(Enum::name).collect(Collectors.toSet());
        List<Positioned> merged = new ArrayList<>();
        HistoryStore store = readModel.live();
        if (query.types().isEmpty() || !eventTypes.isEmpty()) {
            store.page(customerId, eventTypes, query.channels(), query.from(), query.to(), afterAt, afterId,
                    query.descending(), fetch).forEach(entry -> merged.add(new Positioned(entry.occurredAt(),
                    entry.id(), toItem(entry))));
        }
        if (merged.isEmpty() && query.minVersion() == null && store.find(customerId).isEmpty()) {
            // Items of the customer prove it known to this read model; only a page without any asks for its state,
            // one query fewer for almost every page (the segment changes alone prove nothing: that read model may be
            // ahead of this one).
            throw new UnknownCustomerException(customerId);
        }
        boolean segmentChangesWanted = query.types().isEmpty() || query.types().contains(HistoryItemType.SEGMENT_CHANGED);
        if (segmentChangesWanted && query.channels().isEmpty()) {
            if (query.minVersion() != null) {
                // The segment changes come from the segment read model, which reaches the version on its own.
                segmentChanges.awaitVersion(customerId, query.minVersion());
            }
            segmentChanges.page(customerId, query.from(), query.to(), afterAt, afterId, query.descending(), fetch)
                    .forEach(change -> merged.add(new Positioned(change.occurredAt(), change.id(), toItem(change))));
        }
        Comparator<Positioned> order = Comparator.comparing(Positioned::at).thenComparing(Positioned::id);
        merged.sort(query.descending() ? order.reversed() : order);

        List<Positioned> page = merged.subList(0, Math.min(query.limit(), merged.size()));
        String nextCursor = null;
        if (merged.size() > query.limit()) {
            Positioned last = page.get(page.size() - 1);
            Map<String, String> position = new LinkedHashMap<>();
            position.put("o", ordering);
            position.put("at", last.at().toString());
            position.put("id", last.id());
            nextCursor = Cursors.encode(position);
        }
        return new HistoryPage(page.stream().map(Positioned::item).toList(), nextCursor);
    }

    private static HistoryItem toItem(HistoryEntry entry) {
        return new HistoryItem(entry.eventId(), entry.sequence(), HistoryItemType.valueOf(entry.type()),
                entry.occurredAt(), entry.recordedAt(), entry.details());
    }

    private static HistoryItem toItem(SegmentChange change) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (change.from() != null) {
            details.put("from", change.from());
        }
        details.put("to", change.to());
        details.put("ruleVersion", change.ruleVersion());
        details.put("matchedRule", change.matchedRule());
        details.put("cause", change.cause());
        return new HistoryItem(change.eventId(), change.sequence(), HistoryItemType.SEGMENT_CHANGED,
                change.occurredAt(), change.recordedAt(), details);
    }

    private record Positioned(Instant at, String id, HistoryItem item) {
    }
}

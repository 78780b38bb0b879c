package io.crmhistory.query.directory;

import io.crmhistory.query.projection.BackgroundRefresh;
import io.crmhistory.query.projection.BackgroundRefreshes;
import io.crmhistory.query.projection.CatchUpDeferral;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.projection.RefreshLedger;
import io.crmhistory.query.segment.SegmentMembership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each live directory entry's {@code segment} equal to the segment read model's, so the customer list
 * filters by segment with an index instead of asking for every member's id (a list the size of the segment).
 * Customers are refreshed after each committed segment or directory batch of theirs and after a re-evaluation
 * moved them; everyone whenever the live version of either read model changes (a rebuild), and after a start
 * when the {@link RefreshLedger} cannot vouch for the entries: no full refresh completed from the live versions,
 * or an instance stopped with refreshes owed or crashed (its queue was in memory). While the live projections are
 * catching up, refreshing each batch's customers would redo most of the work for every later batch (it cost a
 * fifth of a full catch-up), so those refreshes wait and are done once when they have caught up
 * ({@link CatchUpDeferral}). A directory being rebuilt is written too, so it goes live with its segments. Like
 * every read model, eventually consistent: a move shows in the filtered list moments after it shows in the
 * customer's segment.
 */
@Component
class DirectorySegments implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DirectorySegments.class);
    private static final String NAME = "directory-segments";
    private static final int PAGE = 1000;

    private final DirectoryReadModel directory;
    private final SegmentMembership segments;
    private final ProjectionCatalog catalog;
    private final BackgroundRefresh refresh;
    private final RefreshLedger ledger;
    private final CatchUpDeferral deferral;
    private final Duration stopPatience;
    /** The versions the entries were last fully refreshed from ("none" when never). */
    private volatile String refreshedFor;

    DirectorySegments(DirectoryReadModel directory, SegmentMembership segments, ProjectionCatalog catalog,
                      ProjectionProcessors processors, ReadModelVersions versions, BackgroundRefreshes refreshes,
                      @Value("${crm.refresh.stop-patience:10s}") Duration stopPatience) {
        this.directory = directory;
        this.segments = segments;
        this.catalog = catalog;
        this.refresh = refreshes.create(NAME);
        this.ledger = refreshes.ledger(NAME);
        this.stopPatience = stopPatience;
        this.deferral = new CatchUpDeferral(processors, Projections.SEGMENT, Projections.DIRECTORY);
        // Here, before the processors start (see RefreshLedger).
        this.refreshedFor = ledger.open().map(RefreshLedger.Basis::basis).orElse("none");
        versions.onCommitted((readModel, customerIds) -> {
            if (readModel.equals(Projections.SEGMENT) || readModel.equals(Projections.DIRECTORY)) {
                if (!deferral.defer(customerIds)) {
                    refresh.customers(customerIds, this::refresh);
                }
            }
        });
    }

    /**
     * Every entry when the ledger cannot vouch for them (see the class), after a switch of either read model's live
     * version, after a failed run, or when too many refreshes were deferred to remember. After catching up: the
     * customers whose refresh was deferred (a full refresh queued before covers them, since they had been written).
     */
    @Scheduled(fixedDelayString = "${crm.projections.catalog-refresh-interval:2000}")
    void catchUp() {
        String versions = catalog.live(Projections.DIRECTORY) + "/" + catalog.live(Projections.SEGMENT);
        CatchUpDeferral.Owed owed = deferral.caughtUpAfterDeferring();
        boolean failed = refresh.takeFailure();
        if (failed) {
            ledger.handOutAgain();
        }
        Set<String> abandoned = ledger.beatAndFindAbandoned();
        String reason = !versions.equals(refreshedFor) ? "entries last fully refreshed from versions " + refreshedFor
                : owed.everyone() ? "more refreshes deferred while catching up than remembered"
                : !abandoned.isEmpty() ? "instances stopped with refreshes owed: " + abandoned
                : failed ? "a refresh failed" : null;
        if (reason != null) {
            refreshedFor = versions;
            refresh.runFull(() -> refreshAll(versions, abandoned, reason));
        } else if (!owed.customers().isEmpty()) {
            refresh.customers(owed.customers(), this::refresh);
        }
        refresh.startChecked();
    }

    private void refreshAll(String versions, Set<String> abandoned, String reason) {
        long started = System.nanoTime();
        Map<String, String> page = new HashMap<>();
        int[] customers = {0};
        segments.forEachSegment((customerId, segment) -> {
            page.put(customerId, segment);
            customers[0]++;
            if (page.size() == PAGE) {
                directory.setSegments(page);
                page.clear();
            }
        });
        directory.setSegments(page);
        ledger.fullyRefreshed(versions, Instant.now(), abandoned);
        log.info("Segments of {} directory entries refreshed in {} ms (versions {}; why: {})", customers[0],
                (System.nanoTime() - started) / 1_000_000, versions, reason);
    }

    private void refresh(List<String> customerIds) {
        Map<String, String> current = new HashMap<>();
        segments.segmentsOf(customerIds).forEach((customerId, segment) -> current.put(customerId, segment.name()));
        directory.setSegments(current);
    }

    /**
     * Runs after the processors stopped (Axon stops them with the context, before beans are destroyed), so nothing
     * more is deferred: the customers deferred while they caught up (a stop during a busy ingest) are refreshed now,
     * within the patience, so that the stop is clean. Too many to remember leave it to the next look.
     */
    @Override
    public void destroy() {
        CatchUpDeferral.Owed owed = deferral.takeAll();
        if (!owed.customers().isEmpty()) {
            refresh.customers(owed.customers(), this::refresh);
        }
        boolean done = refresh.finish(stopPatience);
        ledger.close(done && !owed.everyone());
    }
}

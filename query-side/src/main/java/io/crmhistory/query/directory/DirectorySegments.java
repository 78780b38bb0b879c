package io.crmhistory.query.directory;

import io.crmhistory.query.projection.BackgroundRefreshes;
import io.crmhistory.query.projection.CatchUpDeferral;
import io.crmhistory.query.projection.LedgeredRefresh;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
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
 * A new entry starts with the segment its customer has ({@link SegmentSeededStates}); customers are refreshed after
 * each committed batch of theirs of the live segment version, after a re-evaluation moved them, and when a directory
 * batch seeded them from a segment version that was replaced before it wrote them; everyone whenever the live
 * version of either read model changes (a rebuild), and after a start when its ledger cannot vouch for the entries
 * ({@link LedgeredRefresh}): no full refresh completed from the live versions, or an instance stopped with
 * refreshes owed or crashed (its queue was in memory). While the live projections are catching up, refreshing each
 * batch's customers would redo most of the work for every later batch (it cost a fifth of a full catch-up), so those
 * refreshes wait and are done once when they have caught up ({@link CatchUpDeferral}). A directory being rebuilt is
 * written too, so it goes live with its segments. Like every read model, eventually consistent: a move shows in the
 * filtered list moments after it shows in the customer's segment.
 */
@Component
class DirectorySegments implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DirectorySegments.class);
    private static final int PAGE = 1000;

    private final DirectoryReadModel directory;
    private final SegmentMembership segments;
    private final ProjectionCatalog catalog;
    private final LedgeredRefresh refresh;

    DirectorySegments(DirectoryReadModel directory, SegmentMembership segments, ProjectionCatalog catalog,
                      ProjectionProcessors processors, ReadModelVersions versions, BackgroundRefreshes refreshes,
                      @Value("${crm.refresh.stop-patience:10s}") Duration stopPatience) {
        this.directory = directory;
        this.segments = segments;
        this.catalog = catalog;
        // Made here, before the processors start (see RefreshLedger).
        this.refresh = new LedgeredRefresh(refreshes, "directory-segments",
                new CatchUpDeferral(processors, Projections.SEGMENT, Projections.DIRECTORY), stopPatience,
                this::refresh, basis -> true);
        versions.onCommitted((readModel, customerIds, live) -> {
            if (follows(readModel, live)) {
                refresh.committed(customerIds);
            }
        });
        directory.refreshSegmentsWith(customerIds -> refresh.committed(Set.copyOf(customerIds)));
    }

    /**
     * Whether a batch of {@code readModel} may have changed what an entry shows: only the live version's of the
     * segment read model, the version the entries copy. A directory batch writes new entries with their segments
     * ({@link SegmentSeededStates}). A segment version being rebuilt changes no entry until it goes live, and then
     * every entry is refreshed: refreshing its batches' customers from the live version found nothing to change, yet
     * read the segment and the entry of every customer the rebuild wrote, a seventh of the query side's work in a
     * segment rebuild at a million customers.
     */
    static boolean follows(String readModel, boolean live) {
        return readModel.equals(Projections.SEGMENT) && live;
    }

    /** Every entry when either read model's live version changed since the last full refresh (see the class). */
    @Scheduled(fixedDelayString = "${crm.projections.catalog-refresh-interval:2000}")
    void catchUp() {
        String versions = catalog.live(Projections.DIRECTORY) + "/" + catalog.live(Projections.SEGMENT);
        refresh.check(versions, (reason, repaired) -> refreshAll(versions, repaired, reason));
    }

    private void refreshAll(String versions, Set<String> repaired, String reason) {
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
        refresh.fullyRefreshed(versions, Instant.now(), repaired);
        log.info("Segments of {} directory entries refreshed in {} ms (versions {}; why: {})", customers[0],
                (System.nanoTime() - started) / 1_000_000, versions, reason);
    }

    private void refresh(List<String> customerIds) {
        Map<String, String> current = new HashMap<>();
        segments.segmentsOf(customerIds).forEach((customerId, segment) -> current.put(customerId, segment.name()));
        directory.setSegments(current);
    }

    @Override
    public void destroy() {
        refresh.stop();
    }
}

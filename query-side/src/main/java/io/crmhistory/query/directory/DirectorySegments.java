package io.crmhistory.query.directory;

import io.crmhistory.query.projection.BackgroundRefresh;
import io.crmhistory.query.projection.CatchUpDeferral;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.segment.SegmentMembership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each live directory entry's {@code segment} equal to the segment read model's, so the customer list
 * filters by segment with an index instead of asking for every member's id (a list the size of the segment).
 * Customers are refreshed after each committed segment or directory batch of theirs and after a re-evaluation
 * moved them; everyone once after each start (a crash may have lost the last writes) and whenever the live
 * version of either read model changes (a rebuild). While the live projections are catching up, refreshing each
 * batch's customers would redo most of the work for every later batch (it cost a fifth of a full catch-up), so
 * those refreshes wait and are done once when they have caught up ({@link CatchUpDeferral}).
 * A directory being rebuilt is written too, so it goes live with its segments. Like every read model, eventually consistent: a move
 * shows in the filtered list moments after it shows in the customer's segment.
 */
@Component
class DirectorySegments implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DirectorySegments.class);
    private static final int PAGE = 1000;

    private final DirectoryReadModel directory;
    private final SegmentMembership segments;
    private final ProjectionCatalog catalog;
    private final BackgroundRefresh refresh = new BackgroundRefresh("directory-segments");
    private final CatchUpDeferral deferral;
    private volatile String refreshedFor = "";

    DirectorySegments(DirectoryReadModel directory, SegmentMembership segments, ProjectionCatalog catalog,
                      ProjectionProcessors processors, ReadModelVersions versions) {
        this.directory = directory;
        this.segments = segments;
        this.catalog = catalog;
        this.deferral = new CatchUpDeferral(processors, Projections.SEGMENT, Projections.DIRECTORY);
        versions.onCommitted((readModel, customerIds) -> {
            if (readModel.equals(Projections.SEGMENT) || readModel.equals(Projections.DIRECTORY)) {
                if (!deferral.defer(customerIds)) {
                    refresh.customers(customerIds, this::refresh);
                }
            }
        });
    }

    /**
     * After a start, after a switch of either read model's live version: every entry. After catching up: the
     * customers whose refresh was deferred (a full refresh queued before covers them, since they had been written).
     */
    @Scheduled(fixedDelayString = "${crm.projections.catalog-refresh-interval:2000}")
    void catchUp() {
        String versions = catalog.live(Projections.DIRECTORY) + "/" + catalog.live(Projections.SEGMENT);
        CatchUpDeferral.Owed owed = deferral.caughtUpAfterDeferring();
        if (!versions.equals(refreshedFor) || owed.everyone()) {
            refreshedFor = versions;
            refresh.run(this::refreshAll);
        } else if (!owed.customers().isEmpty()) {
            refresh.customers(owed.customers(), this::refresh);
        }
    }

    private void refreshAll() {
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
        log.info("Segments of {} directory entries refreshed in {} ms", customers[0],
                (System.nanoTime() - started) / 1_000_000);
    }

    private void refresh(List<String> customerIds) {
        Map<String, String> current = new HashMap<>();
        segments.segmentsOf(customerIds).forEach((customerId, segment) -> current.put(customerId, segment.name()));
        directory.setSegments(current);
    }

    @Override
    public void destroy() {
        refresh.close();
    }
}

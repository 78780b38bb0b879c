package io.crmhistory.query.directory;

import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionBatch;
import io.crmhistory.query.segment.SegmentMembership.LiveSegments;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * One directory version's states as its projection loads them, with the entry of a customer it has none for yet
 * starting from the segment the live segment read model has for them. A new entry used to be written without its
 * segment and updated moments later by {@link DirectorySegments}, which followed every directory batch: for each, it
 * read the batch's segments and its customers' entries in every directory version in use, and wrote the segment
 * into each new entry, a second write of it. In a directory rebuild at 100,000 customers that was half the embedded
 * server's work and a sixth of the query side's CPU (session 54).
 * <p>
 * The lookup runs while the batch holds its store ({@link CustomerProjector.Store#holdForBatch}): a segment the
 * segment read model committed before it is read; one committed after it is refreshed by {@link DirectorySegments},
 * whose update waits for this batch's write and finds the entry then. A customer the segment read model has not
 * assessed yet starts without one, and gets it the same way. The one case left is a switch of the live segment
 * version between the lookup and the write, while the full refresh that follows the switch may have passed these
 * customers before their entries existed: the batch then hands its new customers to {@code refreshLater}.
 * <p>
 * That waiting is within one instance. When the live segment processor runs on another query-side instance, its
 * refresh may look for an entry before this batch wrote it and find nothing; the batch then hands its new customers
 * the segment read model had not assessed at the lookup to {@code refreshLater} too ({@code segmentsAssessedElsewhere}).
 */
final class SegmentSeededStates implements CustomerProjector.Store<DirectoryState> {

    private final MongoStateStore<DirectoryState> states;
    private final Function<Collection<String>, LiveSegments> liveSegmentsOf;
    private final IntSupplier liveSegmentVersion;
    private final Consumer<Collection<String>> refreshLater;
    private final BooleanSupplier segmentsAssessedElsewhere;
    /** The customers the current batch of this thread seeded, and the segment version they were seeded from. */
    private final ThreadLocal<Map<String, Integer>> seeded = ThreadLocal.withInitial(HashMap::new);
    /** The new customers of the current batch of this thread that had no segment to seed from. */
    private final ThreadLocal<Set<String>> unseeded = ThreadLocal.withInitial(HashSet::new);

    SegmentSeededStates(MongoStateStore<DirectoryState> states, Function<Collection<String>, LiveSegments> liveSegmentsOf,
                        IntSupplier liveSegmentVersion, Consumer<Collection<String>> refreshLater,
                        BooleanSupplier segmentsAssessedElsewhere) {
        this.states = states;
        this.liveSegmentsOf = liveSegmentsOf;
        this.liveSegmentVersion = liveSegmentVersion;
        this.refreshLater = refreshLater;
        this.segmentsAssessedElsewhere = segmentsAssessedElsewhere;
    }

    @Override
    public Map<String, DirectoryState> load(Collection<String> customerIds) {
        return seeded(customerIds, states.load(customerIds));
    }

    @Override
    public Map<String, DirectoryState> loadStored(Collection<String> customerIds) {
        return seeded(customerIds, states.loadStored(customerIds));
    }

    private Map<String, DirectoryState> seeded(Collection<String> customerIds, Map<String, DirectoryState> found) {
        List<String> missing = customerIds.stream().filter(customerId -> !found.containsKey(customerId)).toList();
        if (missing.isEmpty()) {
            return found;
        }
        LiveSegments live = liveSegmentsOf.apply(missing);
        Map<String, DirectoryState> withSeeds = new HashMap<>(found);
        live.segments().forEach((customerId, segment) -> {
            withSeeds.put(customerId, DirectoryState.empty(customerId).withSegment(segment));
            seeded.get().put(customerId, live.version());
        });
        missing.stream().filter(customerId -> !live.segments().containsKey(customerId)).forEach(unseeded.get()::add);
        return withSeeds;
    }

    @Override
    public void write(ProjectionBatch<DirectoryState> batch) {
        states.write(batch);
        Set<String> withoutSeed = unseeded.get();
        if (!withoutSeed.isEmpty()) {
            if (segmentsAssessedElsewhere.getAsBoolean()) {
                refreshLater.accept(List.copyOf(withoutSeed));
            }
            withoutSeed.clear();
        }
        Map<String, Integer> seeds = seeded.get();
        if (!seeds.isEmpty()) {
            int liveVersion = liveSegmentVersion.getAsInt();
            List<String> stale = new ArrayList<>();
            seeds.forEach((customerId, version) -> {
                if (version != liveVersion) {
                    stale.add(customerId);
                }
            });
            seeds.clear();
            if (!stale.isEmpty()) {
                refreshLater.accept(stale);
            }
        }
    }

    @Override
    public void forgetAll() {
        states.forgetAll();
    }

    @Override
    public void holdForBatch() {
        states.holdForBatch();
    }

    @Override
    public void releaseAfterBatch() {
        seeded.get().clear();
        unseeded.get().clear();
        states.releaseAfterBatch();
    }
}

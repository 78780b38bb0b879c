package io.crmhistory.query.directory;

import io.crmhistory.query.projection.Batches;
import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.segment.SegmentMembership.LiveSegments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A new directory entry starts with its customer's live segment; a replaced segment version's seeds are refreshed. */
class SegmentSeededStatesTest {

    private InProcessMongo server;
    private MongoStateStore<DirectoryState> stored;
    private final Map<String, String> liveSegments = new HashMap<>();
    private final AtomicInteger liveVersion = new AtomicInteger(1);
    private final List<Collection<String>> refreshed = new ArrayList<>();
    private final List<Collection<String>> lookedUp = new ArrayList<>();
    private final AtomicBoolean segmentsAssessedElsewhere = new AtomicBoolean(false);
    private SegmentSeededStates states;

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        stored = new MongoStateStore<>(server.template(), DirectoryState.class, "directory");
        states = new SegmentSeededStates(stored, this::segmentsOf, liveVersion::get, refreshed::add,
                segmentsAssessedElsewhere::get);
    }

    private LiveSegments segmentsOf(Collection<String> customerIds) {
        lookedUp.add(List.copyOf(customerIds));
        Map<String, String> found = new HashMap<>();
        customerIds.stream().filter(liveSegments::containsKey).forEach(id -> found.put(id, liveSegments.get(id)));
        return new LiveSegments(liveVersion.get(), found);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aNewCustomersEntryStartsWithTheirLiveSegmentAndAStoredOneAsStored() {
        write(DirectoryState.empty("known").withSegment("LOYAL"));
        liveSegments.put("known", "AT_RISK");
        liveSegments.put("new", "NEW");

        Map<String, DirectoryState> loaded = states.load(List.of("known", "new", "unassessed"));

        assertThat(loaded.get("known").segment()).as("the stored entry, not a seed").isEqualTo("LOYAL");
        assertThat(loaded.get("new")).isEqualTo(DirectoryState.empty("new").withSegment("NEW"));
        assertThat(loaded).doesNotContainKey("unassessed");
        assertThat(lookedUp).containsExactly(List.of("new", "unassessed"));
        assertThat(states.loadStored(List.of("new")).get("new").segment()).isEqualTo("NEW");
    }

    @Test
    void customersSeededFromASegmentVersionReplacedBeforeTheWriteAreRefreshed() {
        liveSegments.put("a", "NEW");
        Map<String, DirectoryState> first = states.load(List.of("a"));
        write(first.get("a"));
        assertThat(refreshed).as("the live version did not change").isEmpty();

        liveSegments.put("b", "NEW");
        Map<String, DirectoryState> second = states.load(List.of("b"));
        liveVersion.set(2);
        write(second.get("b"));

        assertThat(refreshed).containsExactly(List.of("b"));
    }

    /**
     * The live segment processor on another instance may refresh before this batch wrote the entry, and find nothing:
     * new customers without a seed are refreshed after the write then. On one instance its refresh waits for the write.
     */
    @Test
    void newCustomersWithoutASeedAreRefreshedWhenTheSegmentsAreAssessedOnAnotherInstance() {
        liveSegments.put("assessed", "NEW");
        states.load(List.of("assessed", "unassessed"));
        write(DirectoryState.empty("unassessed"));
        assertThat(refreshed).as("one instance: the segment batch's refresh finds the entry").isEmpty();

        segmentsAssessedElsewhere.set(true);
        liveSegments.put("assessed-2", "NEW");
        states.load(List.of("assessed-2", "unassessed-2"));
        write(DirectoryState.empty("unassessed-2"));

        assertThat(refreshed).containsExactly(List.of("unassessed-2"));
    }

    @Test
    void aBatchThatEndsWithoutWritingForgetsItsSeeds() {
        liveSegments.put("a", "NEW");
        states.holdForBatch();
        states.load(List.of("a"));
        states.releaseAfterBatch();
        liveVersion.set(2);

        write(DirectoryState.empty("c"));

        assertThat(refreshed).isEmpty();
    }

    private void write(DirectoryState state) {
        states.write(Batches.changing(List.of(state)));
    }
}

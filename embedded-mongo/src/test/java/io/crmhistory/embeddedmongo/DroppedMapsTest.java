package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DroppedMapsTest {

    private static final String DOCUMENTS = "databases.crm.items";
    private static final String INDEX = "crm.items._index_customerId_1";

    @TempDir
    Path dir;

    @Test
    void droppedMapsLeaveTheirNamesAtOnceAndAreEmptiedAndRemovedInTheBackground() {
        MVStore store = open();
        fill(store, 5_000);
        DroppedMaps dropped = new DroppedMaps(store, new ReentrantReadWriteLock().readLock(), () -> { }, 1_000);
        try {
            dropped.dropDocuments(DOCUMENTS);
            dropped.dropIndex(INDEX);
            dropped.dropIndex("crm.items._index_none"); // no such map: nothing to do

            assertThat(store.hasMap(DOCUMENTS)).isFalse();
            assertThat(store.hasMap(INDEX)).isFalse();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(store.getMapNames()).noneMatch(name -> name.startsWith("$dropped."));
                assertThat(dropped.remainingEntries()).isZero();
            });
            // A new collection of the same name starts empty.
            assertThat(store.openMap(DOCUMENTS, ReadModelBackend.documentMapType()).sizeAsLong()).isZero();
        } finally {
            dropped.stop();
            store.close();
        }
    }

    /**
     * A crash after some slices were committed leaves the dropped map smaller, under its dropped name; the next start
     * empties the rest.
     */
    @Test
    void aCrashWhileEmptyingLeavesTheRestForTheNextStart() throws InterruptedException {
        MVStore store = open();
        fill(store, 5_000);
        CountDownLatch firstSliceCommitted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger slices = new AtomicInteger();
        DroppedMaps dropped = new DroppedMaps(store, new ReentrantReadWriteLock().readLock(), () -> {
            if (slices.incrementAndGet() == 1) {
                store.commit();
                firstSliceCommitted.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, 1_000);
        dropped.dropDocuments(DOCUMENTS);
        assertThat(firstSliceCommitted.await(30, TimeUnit.SECONDS)).isTrue();
        store.closeImmediately(); // what a SIGKILL leaves: the file as of the commit after the first slice
        dropped.stop();

        MVStore reopened = open();
        assertThat(reopened.getMapNames()).filteredOn(name -> name.startsWith("$dropped.documents."))
                .singleElement()
                .satisfies(name -> assertThat(reopened.openMap(name, ReadModelBackend.documentMapType()).sizeAsLong())
                        .isEqualTo(4_000));
        DroppedMaps resumed = new DroppedMaps(reopened, new ReentrantReadWriteLock().readLock(), () -> { }, 1_000);
        try {
            resumed.resumeLeftovers();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(reopened.getMapNames()).noneMatch(name -> name.startsWith("$dropped.")));
            assertThat(reopened.openMap(INDEX, ReadModelBackend.indexMapType()).sizeAsLong()).isEqualTo(5_000);
        } finally {
            resumed.stop();
            reopened.close();
        }
    }

    private void fill(MVStore store, int count) {
        MVMap<Object, byte[]> documents = store.openMap(DOCUMENTS, ReadModelBackend.documentMapType());
        MVMap<KeyValue, Object> index = store.openMap(INDEX, ReadModelBackend.indexMapType());
        for (int i = 0; i < count; i++) {
            String id = String.format("item-%05d", i);
            documents.put(id, StoredDocumentType.encode(new Document("_id", id).append("customerId", "c-" + i % 100)
                    .append("text", "x".repeat(100))));
            index.put(new KeyValue("c-" + i % 100, id), id);
        }
        store.commit();
    }

    private MVStore open() {
        return new MVStore.Builder().fileName(dir.resolve("dropped.mv").toString()).autoCommitDisabled()
                .autoCommitBufferSize(0).encryptionKey("test-only".toCharArray()).open();
    }
}

package io.crmhistory.embeddedmongo;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Empties the maps of dropped collections and indexes in the background, a slice of entries at a time.
 * <p>
 * The library drops a collection or an index by clearing its maps within the command. H2 then visits every page of
 * the trees to free it, and for most leaves reads the table of contents of the leaf's chunk back from the file (it
 * caches only 1 MB of them), while the server answers no other writing command and no commit happens: a history
 * version at a million customers took about two minutes that way (session 19, docs/benchmarks-log.md). Deleting the
 * documents through the server a page at a time instead kept the server answering but cost 11 to 16 minutes of a
 * core for that version (session 21): for every document a query, a delete, and a removal from each index's tree.
 * <p>
 * Here a dropped map is only renamed within the command, a change of the store's catalogue. A thread of its own
 * then removes the map's entries in key order, one slice at a time under the backend's shared lock like a writing
 * command, so each commit holds whole slices and the ordinary removals keep H2's count of live pages exact: a crash
 * leaves a smaller dropped map, which the next start goes on emptying. An empty map is removed from the store.
 * (Clearing the renamed map in one step on this thread was not taken: H2 puts the empty root in place before it
 * counts the old pages as free, and a commit in between followed by a crash would leave those pages counted live,
 * their chunks never reused.)
 */
final class DroppedMaps {

    private static final Logger log = LoggerFactory.getLogger(DroppedMaps.class);

    /** '$' cannot start a MongoDB database name, so no database's maps share the prefix (H2Database matches by it). */
    private static final String PREFIX = "$dropped.";
    private static final String DOCUMENTS = "documents";
    private static final String INDEX = "index";

    private final MVStore store;
    private final Lock sharedLock;
    private final Runnable afterSlice;
    private final int sliceSize;
    private final Set<MVMap<?, ?>> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService emptier =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("readmodel-dropped-maps", true));

    /**
     * @param sharedLock held for each slice, as by a writing command, so commits come between slices
     * @param afterSlice run after each slice, outside the lock (an early commit if too much is unsaved)
     */
    DroppedMaps(MVStore store, Lock sharedLock, Runnable afterSlice, int sliceSize) {
        this.store = store;
        this.sharedLock = sharedLock;
        this.afterSlice = afterSlice;
        this.sliceSize = sliceSize;
    }

    /** Goes on emptying the maps a previous run dropped but did not get to remove. */
    void resumeLeftovers() {
        for (String name : store.getMapNames()) {
            if (name.startsWith(PREFIX + DOCUMENTS + ".")) {
                schedule(store.openMap(name, ReadModelBackend.documentMapType()));
            } else if (name.startsWith(PREFIX + INDEX + ".")) {
                schedule(store.openMap(name, ReadModelBackend.indexMapType()));
            }
        }
    }

    /** Within the dropping command: renames the collection's document map out of the way and empties it later. */
    void dropDocuments(String mapName) {
        if (store.hasMap(mapName)) {
            discard(store.openMap(mapName, ReadModelBackend.documentMapType()), DOCUMENTS);
        }
    }

    /** Within the dropping command: the same for an index's map. */
    void dropIndex(String mapName) {
        if (store.hasMap(mapName)) {
            discard(store.openMap(mapName, ReadModelBackend.indexMapType()), INDEX);
        }
    }

    /** Entries of dropped maps not removed yet: the {@code crm.readmodel.dropped.entries} gauge. */
    long remainingEntries() {
        return pending.stream().mapToLong(MVMap::sizeAsLong).sum();
    }

    /** Stops after the slice under way; what is left stays in the file for the next start. */
    void stop() {
        emptier.shutdownNow();
        try {
            emptier.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void discard(MVMap<?, ?> map, String kind) {
        // A map id is never given again in the store, so the name meets no other dropped map's; the old name after
        // it is for the log.
        store.renameMap(map, PREFIX + kind + "." + map.getId() + "." + map.getName());
        schedule(map);
    }

    private void schedule(MVMap<?, ?> map) {
        pending.add(map);
        emptier.execute(() -> empty(map));
    }

    private void empty(MVMap<?, ?> map) {
        String name = map.getName();
        long entries = map.sizeAsLong();
        long started = System.nanoTime();
        try {
            Step step;
            do {
                step = removeSlice(map);
                afterSlice.run();
            } while (step == Step.MORE && !Thread.currentThread().isInterrupted());
            if (step == Step.REMOVED) {
                pending.remove(map);
                log.info("Removed the {} entries of {} in {} ms", entries, name,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        } catch (MVStoreException | IllegalStateException e) {
            if (!store.isClosed()) {
                log.warn("Could not empty dropped map {}; the next start goes on with it: {}", name, e.toString());
            }
        }
    }

    private enum Step { MORE, REMOVED, STOPPED }

    /** Removes the next slice of entries, or the map itself once it is empty. */
    private Step removeSlice(MVMap<?, ?> map) {
        sharedLock.lock();
        try {
            if (store.isClosed()) {
                return Step.STOPPED;
            }
            List<Object> keys = new ArrayList<>(sliceSize);
            for (Iterator<?> iterator = map.keyIterator(null); iterator.hasNext() && keys.size() < sliceSize; ) {
                keys.add(iterator.next());
            }
            if (keys.isEmpty()) {
                store.removeMap(map);
                return Step.REMOVED;
            }
            keys.forEach(map::remove);
            return Step.MORE;
        } finally {
            sharedLock.unlock();
        }
    }
}

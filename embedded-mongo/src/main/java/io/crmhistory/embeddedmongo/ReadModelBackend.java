package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * mongo-java-server's H2 backend, made cheaper and crash-consistent for the read models.
 * <ul>
 *     <li>Cheaper map types: index keys compared in value order ({@link IndexKeyType}) and documents kept as
 *     their BSON bytes ({@link StoredDocumentType}). The maps are opened here with those types before the H2 database asks for
 *     them by name, and {@link MVStore#openMap(String)} hands back the map already open, so the index and
 *     collection code itself is the library's.</li>
 *     <li>Commits only between commands. A command changes a collection's document map and its index maps one
 *     after the other, and H2's own background writer stores whenever it likes: a file killed at such a moment held
 *     a document without its index entry. Here the store is opened without auto-commit and committed at a fixed
 *     interval while no command that writes is running (a read-write lock: writing commands share it, a commit
 *     takes it alone until it has fixed the version it stores, see {@link #commit}), so every committed version of
 *     the file is the state between two whole commands. A crash loses at most the
 *     last interval, which the projections redo from their tokens (stored in the same file, so never ahead of
 *     the documents they describe).</li>
 *     <li>Drops that take no time within the command: a dropped collection's or index's maps are renamed and
 *     emptied in the background ({@link DroppedMaps}).</li>
 * </ul>
 */
public final class ReadModelBackend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(ReadModelBackend.class);

    /** Commands that never change the store, so they need not wait for a commit. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of("find", "getMore", "count", "distinct",
            "listCollections", "listIndexes", "killCursors", "ping", "hello", "isMaster", "ismaster", "buildInfo",
            "buildinfo", "dbStats", "collStats", "serverStatus", "getLastError", "endSessions");

    private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock();
    private final ScheduledExecutorService committer;
    private final long maxUnsavedBytes;
    private final SpaceReclaim reclaim;
    private final AtomicBoolean earlyCommitQueued = new AtomicBoolean();
    private final AtomicBoolean wroteSinceLastInterval = new AtomicBoolean();
    private final DroppedMaps droppedMaps;
    /** Set while {@link #commit} waits for its snapshot; read and written only under the exclusive lock. */
    private boolean snapshotPending;

    /**
     * How the file is kept nearer the size of its data. Every commit writes the changed pages to a new chunk, and the
     * pages they replace stay in older chunks, which fall free (and are reused) only when none of their pages is live.
     * Updates spread over large B-trees leave most chunks partly live for a long time: a CDNOW master catch-up left a
     * 1.6 GB file holding 12 % live pages, a run at 100,000 customers with four rebuilds 7 GB holding 24 %. Before
     * each commit the live pages of chunks filled below {@code belowPercent} are rewritten (at most
     * {@code writeLimitBytes} of them, once per commit interval), so those chunks fall free. Rewriting means reading
     * old pages back (decrypting and decoding them), so while projections write the bar is kept low; after an interval
     * without writes it is twice as high. (H2's background writer does the same, but it is off here:
     * commits are ours.)
     */
    public record SpaceReclaim(int belowPercent, int writeLimitBytes) {
        static final SpaceReclaim NONE = new SpaceReclaim(0, 0);
    }

    /** The defaults of the query side's {@code crm.readmodel.embedded.*} settings, which the bench's baseline uses too. */
    public static final int DEFAULT_CACHE_MB = 64;
    public static final int DEFAULT_COMMIT_SECONDS = 5;
    public static final int DEFAULT_MAX_UNSAVED_MB = 64;
    public static final int DEFAULT_COMPACT_BELOW_PERCENT = 25;
    public static final int DEFAULT_COMPACT_WRITE_MB = 16;
    public static final boolean DEFAULT_COMPRESS = true;
    /** Entries of a dropped map removed per step, under the shared lock: a commit waits for at most one step. */
    private static final int DROPPED_SLICE = 2_000;

    /**
     * Opens a store for this backend: without H2's auto-commit (its background writer would store half an update, see
     * above) and with no write buffer of its own (commits are this backend's), on a file store that signals each
     * commit's snapshot ({@link SnapshotSignallingFileStore}), so writing commands wait for the snapshot only, not for
     * the whole commit. With {@code compress} every page is compressed (H2's LZF) before it is encrypted and written,
     * as MongoDB's own storage engine compresses its pages (snappy): BSON documents repeat their field names, so a
     * page shrinks to a fraction, and more of a large store stays in the operating system's page cache. Each page
     * records whether it is compressed, so a file written either way opens either way.
     *
     * @param fileName      an H2 file name (an encrypted file's scheme included)
     * @param encryptionKey H2's own file encryption, or null
     */
    public static MVStore openStore(String fileName, char[] encryptionKey, int cacheSizeMb, boolean compress) {
        SnapshotSignallingFileStore file = new SnapshotSignallingFileStore(cacheSizeMb);
        file.open(fileName, false, encryptionKey);
        MVStore.Builder builder = new MVStore.Builder().adoptFileStore(file).autoCommitDisabled().autoCommitBufferSize(0);
        return (compress ? builder.compress() : builder).open();
    }

    /** A backend on {@code store} with the default settings. */
    public static ReadModelBackend withDefaults(MVStore store) {
        return new ReadModelBackend(store, Duration.ofSeconds(DEFAULT_COMMIT_SECONDS), DEFAULT_MAX_UNSAVED_MB * 1024L * 1024L,
                new SpaceReclaim(DEFAULT_COMPACT_BELOW_PERCENT, DEFAULT_COMPACT_WRITE_MB << 20));
    }

    /**
     * @param store           opened with auto-commit disabled; this backend commits it
     * @param maxUnsavedBytes changed pages held in memory before a commit comes early: the store keeps every page
     *                        changed since the last commit in the heap, and a commit serialises them all into one
     *                        buffer, so fast writes over a large store must not wait for the interval
     */
    public ReadModelBackend(MVStore store, Duration commitInterval, long maxUnsavedBytes, SpaceReclaim reclaim) {
        super(store);
        if (store.getFileStore() instanceof SnapshotSignallingFileStore file) {
            file.onSnapshotTaken(this::letWritersOnOnceSnapshotTaken);
        }
        this.maxUnsavedBytes = maxUnsavedBytes;
        this.reclaim = reclaim;
        this.committer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("readmodel-commit", true));
        long millis = commitInterval.toMillis();
        // H2 reuses a chunk's space only this long after it fell free: its 45 s default let the file reach 1.8 GB
        // in a CDNOW master catch-up, 1.07 GB with this. Each scheduled commit is followed by a sync, so the pages
        // that replaced a chunk's are on disk well before its space is written over. Chunks that stay partly live
        // are the business of reclaimSpace.
        store.setRetentionTime((int) Math.min(Integer.MAX_VALUE, 2 * millis));
        committer.scheduleWithFixedDelay(this::reclaimAndCommit, millis, millis, TimeUnit.MILLISECONDS);
        droppedMaps = new DroppedMaps(store, commits.readLock(), this::commitEarlyIfTooMuchUnsaved, DROPPED_SLICE);
        droppedMaps.resumeLeftovers();
    }

    /** The types a collection's document map is opened with (H2Database names it "databases.<namespace>"). */
    static MVMap.Builder<Object, byte[]> documentMapType() {
        return new MVMap.Builder<Object, byte[]>().valueType(StoredDocumentType.INSTANCE);
    }

    /** The types an index's map is opened with (H2Database names it "<namespace>._index_<index>"). */
    static MVMap.Builder<KeyValue, Object> indexMapType() {
        return new MVMap.Builder<KeyValue, Object>().keyType(IndexKeyType.INSTANCE);
    }

    /** Entries of dropped collections and indexes still to be removed from the file (see {@link DroppedMaps}). */
    public long droppedEntriesLeft() {
        return droppedMaps.remainingEntries();
    }

    /**
     * Stores every change so far as one consistent version: writing commands wait while the commit takes its snapshot
     * (each command's changes are all in it or all out), and on a store opened by {@link #openStore} go on while the
     * chunk is serialised, encrypted and written. Waiting writers hold the server's worker threads, and with them every
     * read on those threads' connections: held for the whole commit, reads waited up to 0.9 s every few seconds while
     * projections wrote (session 35).
     */
    @Override
    public void commit() {
        Lock exclusive = commits.writeLock();
        exclusive.lock();
        try {
            if (!getMvStore().isClosed() && getMvStore().hasUnsavedChanges()) {
                snapshotPending = true;
                getMvStore().commit();
            }
        } finally {
            if (commits.isWriteLockedByCurrentThread()) {
                snapshotPending = false;
                exclusive.unlock();
            }
        }
    }

    /** Called by the file store on the committing thread; only a commit of {@link #commit} lets the writers go. */
    private void letWritersOnOnceSnapshotTaken() {
        if (snapshotPending && commits.isWriteLockedByCurrentThread()) {
            snapshotPending = false;
            commits.writeLock().unlock();
        }
    }

    public boolean isOpen() {
        return !getMvStore().isClosed();
    }

    /** Bytes of the file, for the {@code crm.readmodel.file.size} gauge; NaN once closed. */
    public double fileBytes() {
        MVStore store = getMvStore();
        return store.isClosed() ? Double.NaN : store.getFileStore().size();
    }

    /** Share of the chunks' bytes that are live pages, 0 to 1, for the {@code crm.readmodel.file.live} gauge. */
    public double liveShare() {
        MVStore store = getMvStore();
        return store.isClosed() ? Double.NaN : store.getFileStore().getChunksFillRate() / 100.0;
    }

    private void commitEarlyIfTooMuchUnsaved() {
        if (getMvStore().getUnsavedMemory() > maxUnsavedBytes && earlyCommitQueued.compareAndSet(false, true)) {
            committer.execute(() -> {
                earlyCommitQueued.set(false);
                commitQuietly();
            });
        }
    }

    /**
     * Rewrites the live pages of sparse chunks; the next commit stores them. Under the shared lock, like a writing
     * command: the rewritten pages are the maps' current pages, serialised only by a commit.
     */
    void reclaimSpace(boolean idle) {
        if (reclaim.belowPercent() <= 0) {
            return;
        }
        int belowPercent = idle ? Math.min(2 * reclaim.belowPercent(), 90) : reclaim.belowPercent();
        Lock shared = commits.readLock();
        shared.lock();
        try {
            MVStore store = getMvStore();
            if (!store.isClosed() && store.getFileStore().getChunksFillRate() < belowPercent) {
                store.compact(belowPercent, reclaim.writeLimitBytes());
            }
        } finally {
            shared.unlock();
        }
    }

    /** The interval's commit; early commits (too much unsaved) leave the space alone, they come too often. */
    private void reclaimAndCommit() {
        try {
            reclaimSpace(!wroteSinceLastInterval.getAndSet(false));
        } catch (RuntimeException e) {
            log.warn("Could not rewrite sparse chunks of {}; tried again at the next interval: {}", this, e.toString());
        }
        commitQuietly();
    }

    private void commitQuietly() {
        try {
            commit();
            if (!getMvStore().isClosed()) {
                getMvStore().sync();
            }
        } catch (RuntimeException e) {
            log.error("Could not commit the embedded read models to {}; retrying at the next interval", this, e);
        }
    }

    @Override
    public void close() {
        droppedMaps.stop(); // first: after each slice it may hand the committer an early commit
        committer.shutdown();
        Lock exclusive = commits.writeLock();
        exclusive.lock();
        try {
            super.close();
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    private static void requireType(Object type, Class<?> expected, MVMap<?, ?> map) {
        if (!expected.isInstance(type)) {
            throw new IllegalStateException("map " + map.getName() + " was opened before its " + expected.getSimpleName());
        }
    }

    /**
     * An inner class on purpose: H2Database's constructor already opens the existing collections and indexes,
     * before any field of a subclass is assigned, while the enclosing backend (and its store) is reachable.
     */
    private final class Database extends H2Database {

        Database(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver,
                                      Oplog oplog) {
            if (READ_ONLY_COMMANDS.contains(command)) {
                return super.handleCommand(channel, command, query, resolver, oplog);
            }
            Lock shared = commits.readLock();
            shared.lock();
            wroteSinceLastInterval.set(true);
            try {
                return super.handleCommand(channel, command, query, resolver, oplog);
            } finally {
                shared.unlock();
                commitEarlyIfTooMuchUnsaved();
            }
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // Documents are replaced, never changed in place, while a reader may hold them (ReadModelCollection).
            MVMap<Object, byte[]> map = getMvStore().openMap(documentMapName(collectionName), documentMapType());
            requireType(map.getValueType(), StoredDocumentType.class, map);
            // ... and its metadata map "meta.<database>.<collection>", as H2Database.openOrCreateCollection does.
            MVMap<String, Object> meta = getMvStore().openMap("meta." + getFullCollectionNamespace(collectionName));
            return new ReadModelCollection(this, collectionName, options, map, meta, getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            MVMap<KeyValue, Object> map = getMvStore().openMap(indexMapName(collectionName, indexName), indexMapType());
            requireType(map.getKeyType(), IndexKeyType.class, map);
            Index<Object> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            boolean idIndex = keys.size() == 1 && keys.get(0).getKey().equals("_id");
            return idIndex ? new IdLookupIndex(index, indexName, keys, sparse, map,
                    getMvStore().openMap(documentMapName(collectionName), documentMapType())) : index;
        }

        /** The library ignores secondary indexes; this one answers equality on their first field. */
        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            // Named like the unique indexes' maps, so dropping the index or its collection removes it too.
            MVMap<KeyValue, Object> map = getMvStore().openMap(indexMapName(collectionName, indexName), indexMapType());
            requireType(map.getKeyType(), IndexKeyType.class, map);
            return new EqualityPrefixIndex(indexName, keys, sparse, map);
        }

        /**
         * The collection's document map is renamed for {@link DroppedMaps} before the library drops the collection;
         * the library then opens and removes an empty map under the old name. Each index goes through
         * {@link #dropIndex} the same way.
         */
        @Override
        public void dropCollection(String collectionName, Oplog oplog) {
            if (resolveCollection(collectionName, false) != null) {
                droppedMaps.dropDocuments(documentMapName(collectionName));
            }
            super.dropCollection(collectionName, oplog);
        }

        /** Renamed for {@link DroppedMaps} first, so the library's removal of the map by its name finds none. */
        @Override
        protected void dropIndex(MongoCollection<Object> collection, String indexName) {
            boolean exists = collection.getIndexes().stream().anyMatch(index -> index.getName().equals(indexName));
            if (exists) {
                droppedMaps.dropIndex(indexMapName(collection.getCollectionName(), indexName));
            }
            super.dropIndex(collection, indexName);
        }

        private String documentMapName(String collectionName) {
            return "databases." + getFullCollectionNamespace(collectionName);
        }

        private String indexMapName(String collectionName, String indexName) {
            return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        }
    }
}

package io.crmhistory.embeddedmongo;

import org.h2.mvstore.SingleFileStore;
import org.h2.mvstore.WriteBuffer;

import java.util.HashMap;
import java.util.Map;

/**
 * H2's single-file store, telling its owner when a commit has taken its snapshot. A commit first fixes the root page of
 * every map at the new version ({@code MVStore.collectChangedMapRoots}); only then does it serialise those trees into
 * a chunk and write it, and the trees are immutable from that moment: a write after it copies the pages it changes
 * into the next version (H2's own background writer relies on this to store while the database keeps writing). The
 * write buffer is taken once per commit, right after the snapshot and before the first page is serialised
 * ({@code FileStore.serializeAndStore}), so that is where the owner hears of it. {@link ReadModelBackend} then lets
 * writing commands go on while the chunk is built and written, instead of holding them (and the server's worker
 * threads they run on, with every read queued behind them) for the whole commit.
 */
class SnapshotSignallingFileStore extends SingleFileStore {

    private static final Runnable NOBODY = () -> { };

    private volatile Runnable snapshotTaken = NOBODY;

    SnapshotSignallingFileStore(int cacheSizeMb) {
        super(new HashMap<>(Map.of("cacheSize", cacheSizeMb)));
    }

    /** Runs {@code listener} on the committing thread, under H2's store lock, once per commit after its snapshot. */
    void onSnapshotTaken(Runnable listener) {
        this.snapshotTaken = listener;
    }

    @Override
    public WriteBuffer getWriteBuffer() {
        snapshotTaken.run();
        return super.getWriteBuffer();
    }
}

package io.crmhistory.query.projection;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version of each read model is live and which one is being rebuilt, kept in
 * {@value #COLLECTION} so that every query-side instance agrees and a restart resumes a rebuild. Each
 * change is one conditional update (so two operators, or two instances, cannot both start a rebuild);
 * the document is also cached here and re-read every few seconds to see other instances' changes.
 * Replaced and cancelled versions are listed as retired until their collections are dropped.
 */
@Component
public class ProjectionCatalog {

    static final String COLLECTION = "projection_versions";

    /** One read model's versions. {@code lastVersion} only grows, so a version's collections are never reused. */
    public record Entry(@Id String name, int live, Integer rebuilding, int lastVersion, String requestedBy,
                        Instant requestedAt, List<Retired> retired) {

        static Entry initial(String name) {
            return new Entry(name, 1, null, 1, null, null, List.of());
        }

        public Optional<ProjectionVersion> rebuildingVersion() {
            return Optional.ofNullable(rebuilding).map(version -> new ProjectionVersion(name, version));
        }
    }

    public record Retired(int version, Instant at) {
    }

    private final MongoTemplate mongo;
    private final ReadModelCommits commits;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ProjectionCatalog(MongoTemplate mongo, ReadModelCommits commits) {
        this.mongo = mongo;
        this.commits = commits;
        // Operational time (like the processors' claims), not the business clock a test may pin.
        this.clock = Clock.systemUTC();
        refresh();
    }

    public int live(String name) {
        return entry(name).live();
    }

    public Entry entry(String name) {
        return entries.getOrDefault(name, Entry.initial(name));
    }

    /**
     * Starts building the next version of {@code name}.
     *
     * @throws RebuildConflictException when a rebuild of it runs already
     */
    public ProjectionVersion startRebuild(String name, String requestedBy) {
        ensureExists(name);
        Entry current = mongo.findById(name, Entry.class, COLLECTION);
        if (current == null || current.rebuilding() != null) {
            throw new RebuildConflictException(name, current == null ? null : current.rebuilding());
        }
        int next = current.lastVersion() + 1;
        Entry started = mongo.findAndModify(
                Query.query(Criteria.where("_id").is(name).and("rebuilding").is(null).and("lastVersion").is(current.lastVersion())),
                new Update().set("rebuilding", next).set("lastVersion", next).set("requestedBy", requestedBy)
                        .set("requestedAt", clock.instant()),
                FindAndModifyOptions.options().returnNew(true), Entry.class, COLLECTION);
        if (started == null) {
            throw new RebuildConflictException(name, null);
        }
        entries.put(name, started);
        // An accepted rebuild survives a crash right after the 202, even on the embedded store.
        commits.commitNow();
        return new ProjectionVersion(name, next);
    }

    /** Makes the rebuilt {@code version} live and retires the version it replaces. */
    public boolean completeRebuild(ProjectionVersion version) {
        Entry current = entry(version.projection());
        return change(Query.query(Criteria.where("_id").is(version.projection()).and("rebuilding").is(version.version())),
                new Update().set("live", version.version()).unset("rebuilding")
                        .push("retired", new Retired(current.live(), clock.instant())));
    }

    /**
     * @return the cancelled version, empty when no rebuild of {@code name} runs
     * @throws RebuildFinishedException when the rebuild went live between reading it and cancelling it
     */
    public Optional<ProjectionVersion> cancelRebuild(String name) {
        Entry current = mongo.findById(name, Entry.class, COLLECTION);
        if (current == null || current.rebuilding() == null) {
            return Optional.empty();
        }
        int rebuilding = current.rebuilding();
        boolean cancelled = change(Query.query(Criteria.where("_id").is(name).and("rebuilding").is(rebuilding)),
                new Update().unset("rebuilding").push("retired", new Retired(rebuilding, clock.instant())));
        if (cancelled) {
            return current.rebuildingVersion();
        }
        // The condition failed: the supervisor (of this or another instance) switched the version live, or
        // another operator cancelled it first. Only the first is a conflict; the second is a rebuild no longer running.
        Entry now = mongo.findById(name, Entry.class, COLLECTION);
        if (now != null && now.live() == rebuilding) {
            throw new RebuildFinishedException(name, rebuilding);
        }
        return Optional.empty();
    }

    /** The retired version's collections were dropped. */
    public void dropped(ProjectionVersion version) {
        change(Query.query(Criteria.where("_id").is(version.projection())),
                new Update().pull("retired", Query.query(Criteria.where("version").is(version.version())).getQueryObject()));
    }

    /** Sees the changes other instances made. */
    @Scheduled(fixedDelayString = "${crm.projections.catalog-refresh-interval:2000}")
    public void refresh() {
        for (Entry entry : mongo.findAll(Entry.class, COLLECTION)) {
            entries.put(entry.name(), entry);
        }
    }

    private boolean change(Query query, Update update) {
        Entry changed = mongo.findAndModify(query, update, FindAndModifyOptions.options().returnNew(true),
                Entry.class, COLLECTION);
        if (changed != null) {
            entries.put(changed.name(), changed);
            commits.commitNow();
        }
        return changed != null;
    }

    private void ensureExists(String name) {
        Entry initial = Entry.initial(name);
        mongo.upsert(Query.query(Criteria.where("_id").is(name)),
                new Update().setOnInsert("live", initial.live()).setOnInsert("lastVersion", initial.lastVersion())
                        .setOnInsert("retired", List.of()),
                COLLECTION);
    }
}

package io.crmhistory.query.projection;

import com.mongodb.client.MongoClient;
import io.crmhistory.query.infrastructure.ReadModelTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two query-side instances share one catalog: a cancel that meets the other's switch says what happened. */
class ProjectionCatalogTest {

    private final InProcessMongo mongo = new InProcessMongo();
    private final ProjectionCatalog supervisor = new ProjectionCatalog(mongo.template(), () -> { });

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void aCancelledRebuildIsRetired() {
        ProjectionVersion rebuild = supervisor.startRebuild("history", "ops");

        assertThat(new ProjectionCatalog(mongo.template(), () -> { }).cancelRebuild("history")).contains(rebuild);
        supervisor.refresh();
        assertThat(supervisor.entry("history").rebuilding()).isNull();
        assertThat(supervisor.entry("history").retired()).extracting(ProjectionCatalog.Retired::version)
                .containsExactly(rebuild.version());
    }

    @Test
    void aCancelOfNothingRunningFindsNothing() {
        assertThat(supervisor.cancelRebuild("history")).isEmpty();
    }

    @Test
    void aRebuildThatWentLiveWhileBeingCancelledIsAConflictNotMissing() {
        ProjectionVersion rebuild = supervisor.startRebuild("history", "ops");
        // The operator's instance reads the running rebuild; the supervisor switches it live before the cancel lands.
        ProjectionCatalog operator = new ProjectionCatalog(
                switchingAfterFirstRead(mongo.client(), () -> supervisor.completeRebuild(rebuild)), () -> { });

        assertThatThrownBy(() -> operator.cancelRebuild("history"))
                .isInstanceOf(RebuildFinishedException.class)
                .hasMessageContaining("version " + rebuild.version() + " of history finished and went live");
        supervisor.refresh();
        assertThat(supervisor.live("history")).isEqualTo(rebuild.version());
    }

    @Test
    void aRebuildAnotherOperatorCancelledFirstIsNoLongerRunning() {
        ProjectionVersion rebuild = supervisor.startRebuild("history", "ops");
        ProjectionCatalog operator = new ProjectionCatalog(
                switchingAfterFirstRead(mongo.client(), () -> supervisor.cancelRebuild("history")), () -> { });

        assertThat(operator.cancelRebuild("history")).isEmpty();
        supervisor.refresh();
        assertThat(supervisor.entry("history").retired()).extracting(ProjectionCatalog.Retired::version)
                .containsExactly(rebuild.version());
    }

    /** A template that runs {@code meanwhile} once, right after the first catalog entry it reads by id. */
    private static MongoTemplate switchingAfterFirstRead(MongoClient client, Runnable meanwhile) {
        MongoTemplate configured = ReadModelTemplates.configuredLikeTheQuerySide(client);
        return new MongoTemplate(configured.getMongoDatabaseFactory(), configured.getConverter()) {
            private boolean ran;

            @Override
            public <T> T findById(Object id, Class<T> entityClass, String collectionName) {
                T found = super.findById(id, entityClass, collectionName);
                if (!ran) {
                    ran = true;
                    meanwhile.run();
                }
                return found;
            }
        };
    }
}

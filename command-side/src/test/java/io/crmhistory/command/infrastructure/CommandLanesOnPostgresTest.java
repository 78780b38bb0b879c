package io.crmhistory.command.infrastructure;

import io.crmhistory.command.CommandSideApplication;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Group commit on PostgreSQL ({@code CRM_TEST_POSTGRES_URL}; skipped when it is not set): the savepoints each command
 * of a batch runs in, and the batch's one commit, in PostgreSQL's transactions.
 */
class CommandLanesOnPostgresTest {

    @TempDir
    Path dataDir;

    @AfterEach
    void clearRequestContext() {
        SecurityContextHolder.clearContext();
        MDC.clear();
    }

    @Test
    void aBatchCommitsTogetherAndARefusedCommandIsUndoneAloneOnPostgres() {
        String url = System.getenv("CRM_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "CRM_TEST_POSTGRES_URL is not set");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CommandSideApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + url, "--crm.data-dir=" + dataDir,
                "--crm.clock.fixed=2026-01-01T00:00:00Z", "--crm.security.users.writer.password=writer-pw",
                "--crm.security.users.writer.roles=writer", "--crm.security.bcrypt-strength=4")) {
            // PostgreSQL commits side by side: a lane per processor, not the embedded store's one
            assertThat(app.getBean(CommandLanes.class).laneCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            CommandLanes lanes = CommandLanesTest.oneLaneNotStarted(app, meters);
            try {
                CommandLanesTest.assertABatchCommitsTogetherAndARefusedCommandIsUndoneAlone(lanes, meters,
                        app.getBean(EventStore.class), "pg-" + UUID.randomUUID() + "-");
            } finally {
                lanes.stop();
            }
        }
    }
}

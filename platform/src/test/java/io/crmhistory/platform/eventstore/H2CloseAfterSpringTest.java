package io.crmhistory.platform.eventstore;

import io.crmhistory.platform.config.PlatformDefaultsEnvironmentPostProcessor;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails when an H2 upgrade renames or drops the hook the class moves, rather than letting a SIGTERM fail queued
 * commands again (the end-to-end proof is {@code GracefulStopEndToEndIT}). Whether H2 registers its hook when this
 * test opens the file depends on the databases earlier tests in the JVM left open, so the test checks the end state.
 */
class H2CloseAfterSpringTest {

    @TempDir
    Path dataDir;

    @Test
    void onceTheFileIsOpenH2sHookIsFoundAndNoLongerRunsBesideSpringsOwn() throws Exception {
        JdbcDataSource owner = new JdbcDataSource();
        owner.setURL(PlatformDefaultsEnvironmentPostProcessor.embeddedEventStoreUrl(dataDir, false));
        try (Connection open = owner.getConnection()) {
            assertThat(H2CloseAfterSpring.h2HookFound()).as("org.h2.engine.OnExitDatabaseCloser.INSTANCE").isTrue();

            H2CloseAfterSpring.moveIfRegistered();

            assertThat(H2CloseAfterSpring.moveIfRegistered()).as("H2's hook is no longer in the JVM's list").isFalse();
        }
    }
}

package io.crmhistory.platform.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static io.crmhistory.platform.config.PlatformDefaultsEnvironmentPostProcessor.H2_ROWS_PER_ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 client-wide rows per answer follows the event store's read batch size, unless the JVM was told otherwise;
 * the embedded event store's URL compresses only when asked; no application event per request unless configured.
 */
class PlatformDefaultsEnvironmentPostProcessorTest {

    private String before;

    @BeforeEach
    void forgetTheProperty() {
        before = System.getProperty(H2_ROWS_PER_ANSWER);
        System.clearProperty(H2_ROWS_PER_ANSWER);
    }

    @AfterEach
    void restoreTheProperty() {
        if (before == null) {
            System.clearProperty(H2_ROWS_PER_ANSWER);
        } else {
            System.setProperty(H2_ROWS_PER_ANSWER, before);
        }
    }

    @Test
    void rowsPerAnswerDefaultToFiftyWhateverTheEventsPerQuery() {
        PlatformDefaultsEnvironmentPostProcessor.limitH2RowsPerAnswer(
                new MockEnvironment().withProperty("crm.eventstore.read-batch-size", "1000"));
        assertThat(System.getProperty(H2_ROWS_PER_ANSWER)).isEqualTo("50");

        System.clearProperty(H2_ROWS_PER_ANSWER);
        PlatformDefaultsEnvironmentPostProcessor.limitH2RowsPerAnswer(
                new MockEnvironment().withProperty("crm.eventstore.rows-per-answer", "30"));
        assertThat(System.getProperty(H2_ROWS_PER_ANSWER)).isEqualTo("30");
    }

    @Test
    void theEmbeddedEventStoreIsCompressedOnlyWhenAsked() {
        MockEnvironment environment = new MockEnvironment().withProperty("crm.data-dir", "/srv/crm");
        var url = new PlatformDefaultsEnvironmentPostProcessor.EmbeddedEventStoreUrl(environment);
        environment.getPropertySources().addLast(url);
        assertThat((String) url.getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:/srv/crm/eventstore;")
                .doesNotContain("COMPRESS");

        environment.setProperty("crm.eventstore.embedded.compress", "true");
        assertThat((String) url.getProperty("spring.datasource.url")).endsWith(";COMPRESS=TRUE");
    }

    @Test
    void noEventIsPublishedPerRequestUnlessConfigured() {
        MockEnvironment defaults = new MockEnvironment();
        new PlatformDefaultsEnvironmentPostProcessor().postProcessEnvironment(defaults, new SpringApplication());
        assertThat(defaults.getProperty("spring.mvc.publish-request-handled-events")).isEqualTo("false");

        MockEnvironment configured = new MockEnvironment()
                .withProperty("spring.mvc.publish-request-handled-events", "true");
        new PlatformDefaultsEnvironmentPostProcessor().postProcessEnvironment(configured, new SpringApplication());
        assertThat(configured.getProperty("spring.mvc.publish-request-handled-events")).isEqualTo("true");
    }

    @Test
    void aValueGivenToTheJvmWins() {
        System.setProperty(H2_ROWS_PER_ANSWER, "20");
        PlatformDefaultsEnvironmentPostProcessor.limitH2RowsPerAnswer(
                new MockEnvironment().withProperty("crm.eventstore.rows-per-answer", "30"));
        assertThat(System.getProperty(H2_ROWS_PER_ANSWER)).isEqualTo("20");
    }
}

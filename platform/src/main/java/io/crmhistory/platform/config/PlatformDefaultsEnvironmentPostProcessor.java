package io.crmhistory.platform.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.core.env.PropertySource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Contributes the defaults both applications share, as the lowest-precedence property source, so
 * each application's own {@code application.properties}, the command line and the environment
 * still override every one of them.
 * <p>
 * It also derives the embedded event store's JDBC URL from {@code crm.data-dir} when no
 * {@code spring.datasource.url} is configured. It runs after the config data has been loaded, so
 * a {@code --crm.data-dir} on the command line is honoured.
 */
public class PlatformDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE_NAME = "crmPlatformDefaults";
    public static final String AXON_SERVER_PROFILE = "axonserver";
    static final String H2_ROWS_PER_ANSWER = "h2.serverResultSetFetchSize";
    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("crm.data-dir", "./data");
        // Jackson everywhere: events stay readable JSON in the store and across upcasters.
        defaults.put("axon.serializer.general", "jackson");
        defaults.put("axon.serializer.events", "jackson");
        defaults.put("axon.serializer.messages", "jackson");
        // Axon's update checker phones home every few seconds; a CRM must not.
        defaults.put("axoniq.update-checker.disabled", "true");
        defaults.put("axon.axonserver.enabled",
                String.valueOf(environment.acceptsProfiles(Profiles.of(AXON_SERVER_PROFILE))));
        defaults.put("spring.mvc.problemdetails.enabled", "true");
        defaults.put("spring.jackson.serialization.write-dates-as-timestamps", "false");
        // Keep the offset a client sent: "timestamps ISO-8601 with offset" survive a round trip.
        defaults.put("spring.jackson.deserialization.adjust-dates-to-context-time-zone", "false");
        defaults.put("spring.jackson.default-property-inclusion", "non_null");
        // Text after a body's JSON is a mistake to report, not to ignore: two import lines run together
        // ({...}{...}) would otherwise record the first and drop the second without a word.
        defaults.put("spring.jackson.deserialization.fail-on-trailing-tokens", "true");
        // A quantity of 1.5 is a mistake to report, not to truncate to 1.
        defaults.put("spring.jackson.deserialization.accept-float-as-int", "false");
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        // The UP/DOWN status is public (load balancers, ./crm start); what each component reports is for ops only.
        defaults.put("management.endpoint.health.show-details", "when-authorized");
        defaults.put("management.endpoint.health.show-components", "when-authorized");
        defaults.put("management.endpoint.health.roles", "OPS");
        // Histogram buckets for the request timer, so a dashboard computes p99 over any window and across instances
        // (docs/grafana: histogram_quantile over http_server_requests_seconds_bucket).
        defaults.put("management.metrics.distribution.percentiles-histogram.http.server.requests", "true");
        defaults.put("server.error.include-stacktrace", "never");
        defaults.put("server.error.include-message", "never");
        defaults.put("spring.threads.virtual.enabled", "false");
        // Spring MVC's servlet is made ready at start, not by the first request: that request is not kept waiting, and
        // a stop signalled meanwhile finds it begun (a graceful stop lets requests in progress finish, never one that
        // has not begun; GracefulStopEndToEndIT).
        defaults.put("spring.mvc.servlet.load-on-startup", "1");
        // Spring MVC publishes an application event after every request, which nothing here listens to: 1.7 % of the
        // request threads' CPU in a recorded minute of reads (session 30).
        defaults.put("spring.mvc.publish-request-handled-events", "false");
        // Axon times every handler call as well as every unit of work around it (a command, a processor's batch of
        // events, a query), and each timing takes the thread's whole stack trace and schedules a warning: for every
        // event and twice for every command. The handlers' own timers are off; the units of work's (a warning after
        // 10 s, an interrupt after 60 s) still cover a runaway handler, which runs inside its unit of work.
        for (String handlers : new String[] {"events", "commands", "queries"}) {
            defaults.put("axon.timeout.handler." + handlers + ".timeout-ms", "-1");
            defaults.put("axon.timeout.handler." + handlers + ".warning-threshold-ms", "-1");
        }

        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, defaults);
        disableUpdateChecker(environment);
        limitH2RowsPerAnswer(environment);
        bindH2ServersToLoopback();
        environment.getPropertySources().addLast(source);

        // Resolved when read, not now: properties added later (e.g. a test's dynamic data directory)
        // still decide where the embedded event store lives.
        environment.getPropertySources().addLast(new EmbeddedEventStoreUrl(environment));
    }

    /** {@code spring.datasource.url} derived from {@code crm.data-dir}, unless configured anywhere else. */
    static final class EmbeddedEventStoreUrl extends PropertySource<Object> {

        private static final String CONFIGURATION_PROPERTIES_VIEW = "configurationProperties";

        private final ConfigurableEnvironment environment;

        // The environment must not be the property source's "source": Boot would take it for a
        // nested environment and iterate into it endlessly.
        EmbeddedEventStoreUrl(ConfigurableEnvironment environment) {
            super("crmEmbeddedEventStore", new Object());
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (!name.startsWith("spring.datasource.") || configuredElsewhere()) {
                return null;
            }
            return switch (name) {
                case "spring.datasource.url" ->
                        embeddedEventStoreUrl(Path.of(environment.getProperty("crm.data-dir", "./data")),
                                environment.getProperty("crm.eventstore.embedded.compress", Boolean.class, false));
                case "spring.datasource.username" -> "sa";
                case "spring.datasource.password" -> "";
                // When the JVM that owned the file has just died, the other side takes it over (AUTO_RECONNECT)
                // while this one may be starting: wait for the file for a while instead of failing to start.
                case "spring.datasource.hikari.initialization-fail-timeout" -> "60000";
                default -> null;
            };
        }

        private boolean configuredElsewhere() {
            for (PropertySource<?> other : environment.getPropertySources()) {
                // Boot's "configurationProperties" source is a view over all the others, this one included.
                if (other != this && !CONFIGURATION_PROPERTIES_VIEW.equals(other.getName())
                        && other.containsProperty("spring.datasource.url")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Axon's update checker reads a JVM system property, not the Spring environment: mirror the
     * setting there (opted out unless {@code axoniq.update-checker.disabled=false} is configured).
     */
    private static void disableUpdateChecker(ConfigurableEnvironment environment) {
        String key = "axoniq.update-checker.disabled";
        if (System.getProperty(key) == null) {
            System.setProperty(key, environment.getProperty(key, "true"));
        }
    }

    /**
     * How many rows an H2 server sends per answer to a remote client, for every statement (H2 reads the system
     * property once, when its first statement is created; 100 by default). A prepared statement is prepared with
     * this number, and {@code setFetchSize} later does not change it. With event payloads inline, 100 rows are about
     * 90 KiB, over H2's 64 KiB socket buffer: the answer then leaves in two writes and the second waits for the
     * client's delayed acknowledgement (about 40 ms, Nagle's algorithm), several times per long history read.
     * Answers of {@code crm.eventstore.rows-per-answer} rows (50) stay below the buffer. A query for more events
     * ({@code crm.eventstore.read-batch-size}) is fetched in several such answers, a round trip each but no stall.
     * Set on the JVM's command line, {@code -Dh2.serverResultSetFetchSize} wins.
     */
    static void limitH2RowsPerAnswer(ConfigurableEnvironment environment) {
        if (System.getProperty(H2_ROWS_PER_ANSWER) == null) {
            System.setProperty(H2_ROWS_PER_ANSWER, environment.getProperty("crm.eventstore.rows-per-answer", "50"));
        }
    }

    /**
     * H2's automatic server mode (the embedded event store's {@code AUTO_SERVER}, through which the second side reads
     * the first side's file) starts its TCP server with {@code -tcpAllowOthers}: on every interface, the database's
     * user {@code sa} without a password, only the key in the file's lock guarding it. Bound to the loopback address, it
     * is reachable from this machine only, where both sides of the embedded default run (they share its data
     * directory; H2 writes "localhost" for it into the lock file the other side connects through). H2 reads the system
     * property once, when its first class needing it loads; set on the JVM's command line, {@code -Dh2.bindAddress}
     * wins.
     */
    static void bindH2ServersToLoopback() {
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
    }

    /**
     * The embedded event store: an H2 file under the data directory. {@code AUTO_SERVER} lets the
     * command side and the query side (two JVMs) share it; {@code WRITE_DELAY=0} makes H2 hand every
     * commit to the operating system before the commit returns, so an acknowledged command's events
     * survive the process being killed the next instant (H2 otherwise delays writes by 500 ms).
     * {@code RETENTION_TIME=3000}: H2 reuses the space of a chunk that fell free only after this long (45 s by
     * default, which let the file grow to 25 times its data while importing); {@code EmbeddedH2Housekeeping}
     * syncs the file every second, so what replaced a chunk is on disk before its space is written over.
     * {@code LOB_TIMEOUT=10000}: every BLOB a query returns (each event's payload and metadata) stays referenced by
     * the session that read it this long, 5 minutes by default: a catch-up reading thousands of events a second then
     * held hundreds of megabytes of them. Axon and the audit read the bytes at once, so 10 s is ample.
     * {@code QUERY_CACHE_SIZE=256}: each session keeps its parsed statements in an LRU of 8 by default, and a batch of
     * commands (CommandLanes) takes a savepoint per command, each a statement of its own ({@code SAVEPOINT
     * "SAVEPOINT_n"}, n up to the batch's size): they pushed the event, snapshot and key queries out, so every
     * command parsed its SQL again (7.2 % of the command lanes' CPU while importing, docs/benchmarks-log.md session 45).
     * The cache evicts the least recently used statement (an access-ordered map in H2's SmallLRUCache), so with 256 a
     * statement stays parsed unless some 250 others came after its last use: a command's own statements recur within
     * a few commands whatever crm.commands.batch-size is, and a larger batch only parses its older savepoint names and
     * the statements used once per batch again.
     * {@code COMPRESS=TRUE} only with {@code crm.eventstore.embedded.compress} (off by default): H2 then compresses
     * every page it writes (LZF), which halves the file (events are JSON with the same names over and over) and cuts
     * the import's CPU by a fifth, but each small commit of the HTTP ingest then compresses every page it writes and
     * a command cost half as much CPU again (docs/benchmarks-log.md, session 30). (H2's Store also asks for 64 KiB pages
     * with it, and for the URL's PAGE_SIZE otherwise, but MVStore in 2.3.232 never reads that setting: leaves split at
     * 48 keys or 16 KiB either way.) Each page records whether it is compressed, so a file written either way
     * opens either way; the setting is the first opener's (the other side connects to it).
     */
    public static String embeddedEventStoreUrl(Path dataDir, boolean compress) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("eventstore");
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0;RETENTION_TIME=3000;LOB_TIMEOUT=10000"
                + ";QUERY_CACHE_SIZE=256"
                + (compress ? ";COMPRESS=TRUE" : "");
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }
}

package io.crmhistory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One customer's life recorded through the command side and read back from the query side, both
 * running as separate processes on one data directory, including a restart of both.
 */
class CustomerJourneyEndToEndIT {

    @TempDir
    static Path dataDir;

    static RunningSide commandSide;
    static RunningSide querySide;

    @BeforeAll
    static void start() {
        commandSide = RunningSide.commandSide(dataDir);
        querySide = RunningSide.querySide(dataDir);
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void aCustomersLifeIsRecordedAndReadBackAcrossRestarts() {
        CrmClient writer = new CrmClient(commandSide);

        assertThat(writer.post("/api/customers", """
                {"customerId":"journey-1","name":"Grace Hopper","email":"grace@example.com","country":"US",
                 "registeredAt":"2025-06-01T09:00:00Z"}""").status()).isEqualTo(201);
        assertThat(writer.post("/api/customers/journey-1/contacts", """
                {"contactId":"call-1","channel":"PHONE","direction":"INBOUND","occurredAt":"2025-06-02T10:00:00Z",
                 "subject":"Pricing"}""").status()).isEqualTo(201);
        assertThat(writer.post("/api/customers/journey-1/purchases", """
                {"orderId":"o-1","occurredAt":"2025-11-20T12:00:00Z","amount":{"value":"1200.00","currency":"EUR"}}""")
                .status()).isEqualTo(201);
        assertThat(writer.post("/api/customers/journey-1/purchases/o-1/refunds", """
                {"refundId":"r-1","amount":{"value":"200.00","currency":"EUR"},"occurredAt":"2025-11-25T12:00:00Z"}""")
                .status()).isEqualTo(201);
        CrmClient.Response tooMuch = writer.post("/api/customers/journey-1/purchases/o-1/refunds", """
                {"refundId":"r-2","amount":{"value":"1000.01","currency":"EUR"},"occurredAt":"2025-11-26T12:00:00Z"}""");
        assertThat(tooMuch.status()).isEqualTo(409);
        CrmClient.Response last = writer.post("/api/customers/journey-1/purchases", """
                {"orderId":"o-2","occurredAt":"2025-12-20T12:00:00Z","amount":{"value":"50.00","currency":"EUR"}}""");
        assertThat(last.status()).isEqualTo(201);
        long version = last.json().get("version").asLong();

        assertReadModels(version);

        commandSide.restart();
        querySide.restart();

        assertReadModels(version);
        CrmClient.Response retry = new CrmClient(commandSide).post("/api/customers/journey-1/purchases", """
                {"orderId":"o-2","occurredAt":"2025-12-20T12:00:00Z","amount":{"value":"50.00","currency":"EUR"}}""");
        assertThat(retry.status()).as("an idempotent retry answers as the first time").isEqualTo(201);
        assertThat(retry.json().get("version").asLong()).isEqualTo(version);
    }

    /**
     * The command side serves its event store to the query side through H2's automatic server, which H2 would open on
     * every interface with the database's empty password: it listens on the loopback address only. The lock file names
     * its port (and "localhost", which H2 writes for 127.0.0.1 and for the machine's own name alike); the kernel's
     * socket table says where it listens.
     */
    @Test
    void theEventStoresServerIsReachableFromThisMachineOnly() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's socket table");
        Properties lock = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("eventstore.lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

        List<String> listening = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (!Files.isReadable(Path.of(table))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] columns = line.trim().split("\\s+");
                // local address as HEXADDRESS:HEXPORT; state 0A is LISTEN
                if (columns.length > 3 && columns[3].equals("0A") && columns[1].endsWith(String.format(":%04X", port))) {
                    listening.add(columns[1].substring(0, columns[1].indexOf(':')));
                }
            }
        }

        // 127.0.0.1, as IPv4 or IPv4-mapped IPv6, or ::1; on every interface it would read all zeros
        assertThat(listening).as("where port %d listens", port).isNotEmpty().allMatch(address -> Set.of("0100007F",
                "0000000000000000FFFF00000100007F", "00000000000000000000000001000000").contains(address));
    }

    private void assertReadModels(long version) {
        CrmClient reader = new CrmClient(querySide);

        CrmClient.Response value = reader.get("/api/customers/journey-1/value?minVersion=" + version);
        assertThat(value.status()).as(value.body()).isEqualTo(200);
        assertThat(new BigDecimal(value.json().get("netRevenue").asText())).isEqualByComparingTo("1050.00");
        assertThat(value.json().get("orderCount").asInt()).isEqualTo(2);

        CrmClient.Response customer = reader.get("/api/customers/journey-1?minVersion=" + version);
        assertThat(customer.status()).as(customer.body()).isEqualTo(200);
        assertThat(customer.json().get("status").asText()).isEqualTo("ACTIVE");

        CrmClient.Response history = reader.get("/api/customers/journey-1/history?order=asc&minVersion=" + version);
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        for (JsonNode item : history.json().get("items")) {
            types.add(item.get("type").asText());
        }
        assertThat(types).containsSubsequence("REGISTERED", "CONTACT", "PURCHASE", "REFUND", "PURCHASE");
        assertThat(types).contains("STATUS_CHANGED");

        CrmClient.Response segment = reader.get("/api/customers/journey-1/segment?minVersion=" + version);
        assertThat(segment.status()).as(segment.body()).isEqualTo(200);
        // At the fixed clock (2026-01-01) the last purchase is 12 days old (r=5), 2 orders (f=2),
        // 1050 EUR net (m=4): no rule before the fallback matches.
        assertThat(segment.json().get("segment").asText()).isEqualTo("NEEDS_ATTENTION");
    }
}

package io.crmhistory.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a data-protection officer checks, with both sides running as separate processes: after an erasure
 * every read path shows the personal fields erased while value and segment stay, the hash chain still
 * verifies, no file under the data directory holds the email or the name, and the address is free again.
 */
class PersonalDataErasureEndToEndIT {

    private static final String EMAIL = "ada.erasable@example.com";
    private static final String NAME = "Ada Erasable";
    private static final String NOTES = "promised Ada a callback about invoice 4711";
    /** Whole, not a fragment: "7946" alone turns up in the export's ids and hashes (about 900 hex digits) about once in 70 runs. */
    private static final String PHONE = "+44 20 7946 0958";

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
    void anErasedCustomerLeavesNoPersonalDataBehindAndKeepsTheirValue() throws IOException {
        CrmClient writer = new CrmClient(commandSide);
        CrmClient reader = new CrmClient(querySide);
        assertThat(writer.post("/api/customers", """
                {"customerId":"dpo-1","name":"%s","email":"%s","phone":"%s","country":"GB",
                 "registeredAt":"2025-06-01T09:00:00Z"}""".formatted(NAME, EMAIL, PHONE)).status()).isEqualTo(201);
        assertThat(writer.post("/api/customers/dpo-1/contacts", """
                {"contactId":"call-1","channel":"PHONE","direction":"INBOUND","occurredAt":"2025-06-02T10:00:00Z",
                 "subject":"Invoice question","notes":"%s"}""".formatted(NOTES)).status()).isEqualTo(201);
        CrmClient.Response purchase = writer.post("/api/customers/dpo-1/purchases", """
                {"orderId":"o-1","occurredAt":"2025-11-20T12:00:00Z","amount":{"value":"1200.00","currency":"EUR"}}""");
        assertThat(purchase.status()).isEqualTo(201);
        long beforeErasure = purchase.json().get("version").asLong();
        String valueBefore = reader.get("/api/customers/dpo-1/value?minVersion=" + beforeErasure).json().get("netRevenue").asText();
        String segmentBefore = reader.get("/api/customers/dpo-1/segment?minVersion=" + beforeErasure).json().get("segment").asText();
        assertThat(reader.get("/api/customers/dpo-1?minVersion=" + beforeErasure).body()).contains(NAME, EMAIL);

        CrmClient.Response erased = writer.delete("/api/customers/dpo-1/personal-data", """
                {"reason":"data subject request of 2025-12-01"}""");
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        long version = erased.json().get("version").asLong();

        CrmClient.Response customer = reader.get("/api/customers/dpo-1?minVersion=" + version);
        assertThat(customer.json().get("personalDataErased").asBoolean()).isTrue();
        assertThat(customer.json().get("country").asText()).isEqualTo("GB");
        assertThat(reader.get("/api/customers/dpo-1/value?minVersion=" + version).json().get("netRevenue").asText())
                .isEqualTo(valueBefore);
        assertThat(reader.get("/api/customers/dpo-1/segment?minVersion=" + version).json().get("segment").asText())
                .isEqualTo(segmentBefore);
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("customer", customer.body());
        for (String path : List.of("/api/customers/dpo-1/history?minVersion=" + version, "/api/customers?q=erasable",
                "/api/audit/customers/dpo-1/events", "/api/audit/customers/dpo-1/state?axis=occurred")) {
            reads.put(path, reader.get(path).body());
        }
        reads.forEach((read, body) -> assertThat(body).as(read).doesNotContain(NAME, EMAIL, PHONE, "invoice 4711"));
        assertThat(reader.get("/api/audit/customers/dpo-1/verify").json().get("valid").asBoolean()).isTrue();

        querySide.close();
        commandSide.close();
        assertThat(filesHolding(EMAIL)).isEmpty();
        assertThat(filesHolding(NAME)).isEmpty();
        assertThat(filesHolding(NOTES)).isEmpty();

        commandSide.start();
        assertThat(new CrmClient(commandSide).post("/api/customers", """
                {"customerId":"dpo-2","name":"Someone Else","email":"%s"}""".formatted(EMAIL)).status())
                .as("the address is free again").isEqualTo(201);
    }

    /** Files under the data directory whose bytes contain the text (as UTF-8). */
    private static List<Path> filesHolding(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).filter(file -> contains(read(file), needle)).toList();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

package io.crmhistory.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WorkloadGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int CUSTOMERS = 20_000;
    private static CdnowPatterns cdnow;

    @BeforeAll
    static void loadCdnow() {
        cdnow = CdnowPatterns.load(Path.of("../../shared/datasets/cdnow/cdnow_master.csv"));
    }

    @Test
    void readsTheWholeCdnowMasterLog() {
        assertThat(cdnow.customers()).isEqualTo(23_570);
        assertThat(cdnow.purchases()).isEqualTo(69_659);
        assertThat(cdnow.totalCents()).isEqualTo(250_031_563L);
    }

    @Test
    void theSameSeedGivesTheSameCommandsAndAnotherSeedDoesNot() {
        List<String> first = lines(new WorkloadGenerator(cdnow, 42, "c", 300));
        List<String> again = lines(new WorkloadGenerator(cdnow, 42, "c", 300));
        List<String> other = lines(new WorkloadGenerator(cdnow, 43, "c", 300));
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void customersBuyAsOftenAsCdnowCustomersDidAndSpendAsMuch() {
        WorkloadGenerator generator = drain(new WorkloadGenerator(cdnow, 7, "c", CUSTOMERS));
        WorkloadStats stats = generator.stats();
        double cdnowMean = (double) cdnow.purchases() / cdnow.customers();
        assertThat(stats.of("RegisterCustomer")).isEqualTo(CUSTOMERS);
        assertThat((double) stats.of("RecordPurchase") / CUSTOMERS).isCloseTo(cdnowMean, within(0.12));
        assertThat((double) stats.of("RecordContact") / stats.of("RecordPurchase"))
                .isCloseTo((WorkloadGenerator.CONTACTS_BASE + WorkloadGenerator.CONTACTS_PER_PURCHASE * cdnowMean) / cdnowMean,
                        within(0.08));
        assertThat((double) stats.of("RecordRefund") / stats.of("RecordPurchase"))
                .isCloseTo(WorkloadGenerator.REFUND_RATE, within(0.01));
        assertThat((double) stats.of("UpdateProfile") / CUSTOMERS)
                .isCloseTo(WorkloadGenerator.PROFILE_UPDATE_RATE, within(0.01));
    }

    @Test
    void aMillionCustomersMakeAtLeastTenMillionEvents() {
        WorkloadStats stats = drain(new WorkloadGenerator(cdnow, 7, "c", CUSTOMERS)).stats();
        assertThat(stats.expectedEvents() * (1_000_000.0 / CUSTOMERS)).isGreaterThan(10_000_000);
    }

    @Test
    void meanOrderValueStaysCdnowsWithinTheJitter() {
        BigDecimal total = BigDecimal.ZERO;
        long orders = 0;
        WorkloadGenerator generator = new WorkloadGenerator(cdnow, 9, "c", CUSTOMERS);
        while (generator.hasNext()) {
            WorkloadCommand command = generator.next();
            if (command.type().equals("RecordPurchase")) {
                total = total.add(new BigDecimal(command.body().path("amount").path("value").asText()));
                orders++;
            }
        }
        double cdnowMean = cdnow.totalCents() / 100.0 / cdnow.purchases();
        assertThat(total.doubleValue() / orders).isCloseTo(cdnowMean, within(cdnowMean * 0.05));
    }

    /** The product refuses body fields a call does not know: a refund's order is in its path, not its body. */
    @Test
    void httpBodiesCarryOnlyTheFieldsOfTheirCall() {
        WorkloadGenerator generator = new WorkloadGenerator(cdnow, 11, "c", 2_000);
        int refunds = 0;
        while (generator.hasNext()) {
            WorkloadCommand command = generator.next();
            if (command.type().equals("RecordRefund")) {
                refunds++;
                assertThat(command.body().has("orderId")).isFalse();
                assertThat(command.path()).endsWith("/purchases/" + command.orderId() + "/refunds");
                assertThat(command.importLine()).startsWith("{\"type\":\"RecordRefund\",\"customerId\":\""
                        + command.customerId() + "\",\"orderId\":\"" + command.orderId() + "\",");
            } else {
                assertThat(command.orderId()).isNull();
            }
        }
        assertThat(refunds).isPositive();
    }

    @Test
    void everyCustomersCommandsAreValidAndInOrder() throws Exception {
        Map<String, List<JsonNode>> byCustomer = new HashMap<>();
        WorkloadGenerator generator = new WorkloadGenerator(cdnow, 11, "c", 2_000);
        while (generator.hasNext()) {
            JsonNode line = JSON.readTree(generator.next().importLine());
            byCustomer.computeIfAbsent(line.path("customerId").asText(), id -> new ArrayList<>()).add(line);
        }
        Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        for (List<JsonNode> commands : byCustomer.values()) {
            assertThat(commands.get(0).path("type").asText()).isEqualTo("RegisterCustomer");
            assertThat(commands.stream().filter(c -> c.path("type").asText().equals("RegisterCustomer"))).hasSize(1);
            Set<String> orders = new HashSet<>();
            Instant previous = Instant.MIN;
            String status = "ACTIVE";
            for (JsonNode command : commands.subList(1, commands.size())) {
                Instant at = Instant.parse(command.has("occurredAt") ? command.path("occurredAt").asText()
                        : command.path("effectiveAt").asText(command.path("occurredAt").asText(previous.toString())));
                if (!command.path("type").asText().equals("UpdateProfile")) {
                    assertThat(at).isAfterOrEqualTo(previous).isBefore(clock);
                    previous = at;
                }
                switch (command.path("type").asText()) {
                    case "RecordPurchase" -> {
                        assertThat(status).as("no purchase after a status change").isEqualTo("ACTIVE");
                        orders.add(command.path("orderId").asText());
                    }
                    case "RecordRefund" -> assertThat(orders).contains(command.path("orderId").asText());
                    case "ChangeStatus" -> status = command.path("status").asText();
                    default -> {
                    }
                }
                command.fieldNames().forEachRemaining(field -> {
                    if (field.endsWith("Id")) {
                        assertThat(command.path(field).asText()).matches(ID);
                    }
                });
            }
        }
    }

    @Test
    void interleavesCustomersButKeepsMemoryToTheWindow() {
        WorkloadGenerator generator = new WorkloadGenerator(cdnow, 5, "c", 1_000);
        Set<String> seenInFirstHundred = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seenInFirstHundred.add(generator.next().customerId());
        }
        assertThat(seenInFirstHundred).hasSizeGreaterThan(10).hasSizeLessThanOrEqualTo(WorkloadGenerator.WINDOW + 100);
    }

    @Test
    void poissonDrawsHaveTheirMean() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += WorkloadGenerator.poisson(5.05, random);
        }
        assertThat(sum / 100_000).isCloseTo(5.05, within(0.05));
    }

    private static WorkloadGenerator drain(WorkloadGenerator generator) {
        while (generator.hasNext()) {
            generator.next();
        }
        return generator;
    }

    private static List<String> lines(WorkloadGenerator generator) {
        List<String> lines = new ArrayList<>();
        generator.forEachRemaining(command -> lines.add(command.importLine()));
        return lines;
    }
}

package io.crmhistory.command.importing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The id a contact line without one gets: keyed, so that it says nothing about the line's words to whoever does not
 * hold the deployment's key (it stays in the event after an erasure), stable for the same line and key, and
 * accompanied by the unkeyed id imports derived before, which the aggregate recognises.
 */
class ImportLineParserTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    static final String LINE = "{\"type\":\"RecordContact\",\"customerId\":\"c-1\",\"channel\":\"PHONE\","
            + "\"direction\":\"INBOUND\",\"occurredAt\":\"2024-03-03T10:00:00Z\",\"notes\":\"wants a refund\"}";

    @Test
    void aContactLineWithoutAnIdGetsAKeyedOneAndTheLegacyOne() throws Exception {
        RecordContact contact = parse(parser(key(1)), LINE);

        assertThat(contact.contactId()).startsWith("import-").hasSize("import-".length() + 40)
                .isEqualTo(parse(parser(key(1)), LINE).contactId())
                .isNotEqualTo(parse(parser(key(2)), LINE).contactId())
                .isNotEqualTo(unkeyed(LINE));
        assertThat(contact.legacyContactId()).isEqualTo(unkeyed(LINE));
        assertThat(contact.notes()).isEqualTo("wants a refund");
    }

    @Test
    void aContactLineWithItsOwnIdKeepsItAndHasNoLegacyOne() {
        RecordContact contact = parse(parser(key(1)), LINE.replace("\"channel\"", "\"contactId\":\"k-9\",\"channel\""));

        assertThat(contact.contactId()).isEqualTo("k-9");
        assertThat(contact.legacyContactId()).isNull();
    }

    @Test
    void aLineCannotSetTheLegacyIdItself() {
        ImportLineParser.Parsed parsed = parser(key(1)).parse(LINE.replace("\"channel\"",
                "\"legacyContactId\":\"import-0\",\"channel\""));

        assertThat(parsed.command()).isNull();
        assertThat(parsed.problem()).startsWith("legacyContactId: is not a field of this request; known fields: ");
        assertThat(parsed.problem().substring(parsed.problem().indexOf("known fields: ")))
                .contains("contactId").doesNotContain("legacyContactId");
    }

    /** As an HTTP body's binding reads them: the decimal written, never a double's nearest value. */
    @Test
    void moneyWrittenAsANumberIsReadAsTheDecimalWritten() {
        for (String value : new String[]{"10.0000000000000001", "1e-400", "99999999999999.99", "149.90", "7"}) {
            RecordPurchase purchase = (RecordPurchase) parser(key(1)).parse("{\"type\":\"RecordPurchase\",\"customerId\":\"c-1\","
                    + "\"orderId\":\"o-1\",\"occurredAt\":\"2024-03-03T10:00:00Z\",\"amount\":{\"value\":" + value
                    + ",\"currency\":\"EUR\"}}").command();

            assertThat(purchase.amount().value()).as(value).isEqualTo(new BigDecimal(value));
        }
    }

    @Test
    void aFieldGivenTwiceOnALineIsRefusedNotTakenAsTheLast() {
        ImportLineParser.Parsed parsed = parser(key(1)).parse(LINE.replace("\"notes\"", "\"channel\":\"EMAIL\",\"notes\""));

        assertThat(parsed.command()).isNull();
        assertThat(parsed.problem()).isEqualTo("channel: is given more than once");
    }

    /** Jackson would take a number, or text of digits, for the enum constant at that position, and a number for text. */
    @Test
    void anEnumIsGivenByItsNameAndTextAsText() {
        String change = "{\"type\":\"ChangeStatus\",\"customerId\":\"c-1\",\"reason\":\"moved\",\"status\":";
        for (String status : new String[] {"4", "\"4\"", "\" 1\""}) {
            ImportLineParser.Parsed parsed = parser(key(1)).parse(change + status + "}");
            assertThat(parsed.command()).as(status).isNull();
            assertThat(parsed.problem()).as(status).startsWith("status: ").contains("is not a valid value (one of");
        }
        assertThat(parser(key(1)).parse(change + "\"CHURNED\"}").problem()).isNull();
        ImportLineParser.Parsed numberAsText = parser(key(1)).parse(LINE.replace("\"wants a refund\"", "42"));
        assertThat(numberAsText.problem()).isEqualTo("notes: '42' is not a valid string");
    }

    private static RecordContact parse(ImportLineParser parser, String line) {
        ImportLineParser.Parsed parsed = parser.parse(line);
        assertThat(parsed.problem()).isNull();
        return (RecordContact) parsed.command();
    }

    private static ImportLineParser parser(byte[] key) {
        return new ImportLineParser(JSON, new ImportContactIds(key));
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    /** What imports derived before the ids were keyed. */
    private static String unkeyed(String line) throws Exception {
        return "import-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(line.strip().getBytes(StandardCharsets.UTF_8))).substring(0, 40);
    }
}

package io.crmhistory.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.query.AuditedEvent;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.platform.audit.EventHashChain;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a customer's events, one at a time as they are read, as JSON ({@code {"customerId", "events": [...]}}),
 * NDJSON (one event a line) or CSV (RFC 4180, one event a row, the payload as JSON in one cell).
 * Personal fields an erasure made unreadable are left out of payloads, never written as {@code null}.
 */
final class EventExport {

    static final String CSV_HEADER = "sequence,type,revision,occurredAt,recordedAt,principal,correlationId,source,hash,"
            + "eventId,payload";
    static final List<String> CSV_COLUMNS = List.of(CSV_HEADER.split(","));

    /** The header and one row as {@link #write} puts them: the OpenAPI document's example of the CSV export. */
    static final String CSV_EXAMPLE = CSV_HEADER + "\r\n"
            + "1,PurchaseRecorded,1,2025-02-01T09:30:00Z,2025-02-01T09:30:02Z,importer,corr-ada,import,"
            + "5d41402abc4b2a76b9719d911017c592ae2b5c0f8d3e4c4e8a8a1f0b2c3d4e5f,0b6f3a52-7c1e-4a8e-9d2b-3e5f6a7b8c9d,"
            + "\"{\"\"customerId\"\":\"\"ada\"\",\"\"orderId\"\":\"\"o-1\"\",\"\"amount\"\":{\"\"value\"\":\"\"149.90\"\","
            + "\"\"currency\"\":\"\"EUR\"\"},\"\"lines\"\":[],\"\"occurredAt\"\":\"\"2025-02-01T09:30:00Z\"\"}\"\r\n";

    private final ObjectMapper json;
    private final RevisionResolver revisions = new AnnotationRevisionResolver();

    /** @param json the application's ObjectMapper (money, dates as the rest of the API writes them) */
    EventExport(ObjectMapper json) {
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    AuditedEvent audited(DomainEventMessage<?> message) {
        Class<?> type = message.getPayloadType();
        return new AuditedEvent(message.getIdentifier(), message.getSequenceNumber(), type.getSimpleName(),
                type.getName(), revisions.revisionOf(type), EventFilter.occurredAt(message.getPayload()),
                message.getTimestamp(), json.valueToTree(message.getPayload()), message.getMetaData());
    }

    void write(ExportFormat format, String customerId, Iterator<AuditedEvent> events, OutputStream out)
            throws IOException {
        switch (format) {
            case JSON -> writeJson(customerId, events, out);
            case NDJSON -> writeNdjson(events, out);
            case CSV -> writeCsv(events, out);
        }
    }

    private void writeJson(String customerId, Iterator<AuditedEvent> events, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("customerId", customerId);
            generator.writeArrayFieldStart("events");
            while (events.hasNext()) {
                json.writeValue(generator, events.next());
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
    }

    private void writeNdjson(Iterator<AuditedEvent> events, OutputStream out) throws IOException {
        while (events.hasNext()) {
            out.write(json.writeValueAsBytes(events.next()));
            out.write('\n');
        }
        out.flush();
    }

    private void writeCsv(Iterator<AuditedEvent> events, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(Csv.row(CSV_COLUMNS));
        while (events.hasNext()) {
            AuditedEvent event = events.next();
            Map<String, ?> metadata = event.metadata();
            writer.write(Csv.row(List.of(Long.toString(event.sequence()), event.type(), text(event.revision()),
                    text(event.occurredAt()), text(event.recordedAt()), text(metadata.get(MetadataKeys.PRINCIPAL)),
                    text(metadata.get(MetadataKeys.CORRELATION_ID)), text(metadata.get(MetadataKeys.SOURCE)),
                    text(metadata.get(EventHashChain.HASH)), event.eventId(),
                    json.writeValueAsString(event.payload()))));
        }
        writer.flush();
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof Instant instant ? instant.toString() : value.toString();
    }
}

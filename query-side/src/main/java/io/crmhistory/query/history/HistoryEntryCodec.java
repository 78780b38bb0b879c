package io.crmhistory.query.history;

import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a timeline item straight to BSON, the document Spring Data's converter makes of it ({@code id} as
 * {@code _id}, times as dates, no null fields), without the converter's intermediate document and events: a history
 * rebuild writes one item per event, and mapping them was a quarter of its projection thread (session 52's profile).
 * The driver's record codec cannot type {@code details} (a map of any values); they are written as the driver's map
 * codec writes them, and read with its document codec, which keeps the stored order of the fields.
 * History pages are read with it too ({@link #decode}), as Spring Data reads them: a missing field is null (or 0),
 * an unknown one (the {@code _class} hint older versions wrote) skipped, nested documents plain maps in stored order.
 */
final class HistoryEntryCodec implements Codec<HistoryEntry> {

    private final CodecRegistry registry;
    /** Not the driver's map codec: it reads into a HashMap, so an item's details would come back in no fixed order. */
    private final Codec<Document> details;

    HistoryEntryCodec(CodecRegistry registry) {
        this.registry = registry;
        this.details = registry.get(Document.class);
    }

    @Override
    public void encode(BsonWriter writer, HistoryEntry entry, EncoderContext context) {
        writer.writeStartDocument();
        writer.writeString("_id", entry.id());
        writeString(writer, "customerId", entry.customerId());
        writer.writeInt64("sequence", entry.sequence());
        writeString(writer, "eventId", entry.eventId());
        writeString(writer, "type", entry.type());
        writeDate(writer, "occurredAt", entry.occurredAt());
        writeDate(writer, "recordedAt", entry.recordedAt());
        writeString(writer, "channel", entry.channel());
        if (entry.details() != null) {
            writer.writeName("details");
            writeValue(writer, entry.details(), context);
        }
        writer.writeEndDocument();
    }

    /**
     * A detail as the driver's map codec writes it, the kinds items hold (text, whole numbers, maps and collections of them)
     * written directly: the map codec looks each value's codec up through a child registry that checks for cycles,
     * a tenth of the projection thread in a history rebuild. Any other kind goes to the registry's codec.
     */
    @SuppressWarnings("unchecked")
    private void writeValue(BsonWriter writer, Object value, EncoderContext context) {
        if (value == null) {
            writer.writeNull();
        } else if (value instanceof String text) {
            writer.writeString(text);
        } else if (value instanceof Integer number) {
            writer.writeInt32(number);
        } else if (value instanceof Long number) {
            writer.writeInt64(number);
        } else if (value instanceof Map<?, ?> map) {
            writer.writeStartDocument();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                writer.writeName(String.valueOf(field.getKey()));
                writeValue(writer, field.getValue(), context);
            }
            writer.writeEndDocument();
        } else if (value instanceof Collection<?> elements) {
            writer.writeStartArray();
            for (Object element : elements) {
                writeValue(writer, element, context);
            }
            writer.writeEndArray();
        } else {
            context.encodeWithChildContext((Codec<Object>) registry.get(value.getClass()), writer, value);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public HistoryEntry decode(BsonReader reader, DecoderContext context) {
        String id = null;
        String customerId = null;
        long sequence = 0;
        String eventId = null;
        String type = null;
        Instant occurredAt = null;
        Instant recordedAt = null;
        String channel = null;
        Map<String, Object> detailsRead = null;
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = reader.readName();
            switch (name) {
                case "_id" -> id = reader.readString();
                case "customerId" -> customerId = reader.readString();
                case "sequence" -> sequence = reader.getCurrentBsonType() == BsonType.INT32 ? reader.readInt32()
                        : reader.readInt64();
                case "eventId" -> eventId = reader.readString();
                case "type" -> type = reader.readString();
                case "occurredAt" -> occurredAt = Instant.ofEpochMilli(reader.readDateTime());
                case "recordedAt" -> recordedAt = Instant.ofEpochMilli(reader.readDateTime());
                case "channel" -> channel = reader.readString();
                case "details" -> detailsRead = (Map<String, Object>) plain(details.decode(reader, context));
                default -> reader.skipValue();
            }
        }
        reader.readEndDocument();
        return new HistoryEntry(id, customerId, sequence, eventId, type, occurredAt, recordedAt, channel, detailsRead);
    }

    /** Nested documents as plain maps, as Spring Data reads them. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, nested) -> copy.put((String) key, plain(nested)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(HistoryEntryCodec::plain).toList();
        }
        return value;
    }

    @Override
    public Class<HistoryEntry> getEncoderClass() {
        return HistoryEntry.class;
    }

    private static void writeString(BsonWriter writer, String name, String value) {
        if (value != null) {
            writer.writeString(name, value);
        }
    }

    private static void writeDate(BsonWriter writer, String name, Instant value) {
        if (value != null) {
            writer.writeDateTime(name, value.toEpochMilli());
        }
    }
}

package io.crmhistory.query.privacy;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.CannotConvertBetweenTypesException;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * An upcast view of an event that falls back to the event as stored when its payload cannot be read at all (not
 * JSON: a damaged row). Without it the failure to parse is thrown again every time the view's data is asked for,
 * and the dead-letter queue asks for it to store the letter: the letter could not be written, and the processor
 * retried the same batch for ever. With it the projection's handler fails to read the stored payload, as it does for
 * any unreadable event, and the letter keeps the stored bytes, so a retry fails the same way until ops drop it.
 * <p>
 * Being the one wrapper of every event a personal-field upcaster changed, it also hands out the stored event's
 * metadata as they are, undeserialized ({@link #getMetaData}).
 */
final class AsStoredWhenUnreadable implements IntermediateEventRepresentation {

    private final IntermediateEventRepresentation upcast;
    private final IntermediateEventRepresentation stored;

    /**
     * @param upcast {@code stored} with only its payload upcast
     * @param stored the event as the upcaster was given it
     */
    AsStoredWhenUnreadable(IntermediateEventRepresentation upcast, IntermediateEventRepresentation stored) {
        this.upcast = upcast;
        this.stored = stored;
    }

    @Override
    public SerializedObject<?> getData() {
        try {
            return upcast.getData();
        } catch (CannotConvertBetweenTypesException unreadable) {
            return stored.getData();
        }
    }

    @Override
    public <D> SerializedObject<D> getData(Class<D> requiredType) {
        try {
            return upcast.getData(requiredType);
        } catch (CannotConvertBetweenTypesException unreadable) {
            return stored.getData(requiredType);
        }
    }

    /**
     * No upcaster of the same event follows the personal-field ones (in a read model's view the one leaving fields out
     * handles other types than the one revealing them); one that did would read the upcast view as it is.
     */
    @Override
    public <T> IntermediateEventRepresentation upcast(SerializedType outputType, Class<T> expectedRepresentationType,
                                                      Function<T, T> upcastFunction,
                                                      Function<MetaData, MetaData> metaDataUpcastFunction) {
        return upcast.upcast(outputType, expectedRepresentationType, upcastFunction, metaDataUpcastFunction);
    }

    @Override
    public SerializedType getType() {
        return upcast.getType();
    }

    @Override
    public Class<?> getContentType() {
        return upcast.getContentType();
    }

    @Override
    public String getMessageIdentifier() {
        return upcast.getMessageIdentifier();
    }

    @Override
    public Optional<String> getAggregateType() {
        return upcast.getAggregateType();
    }

    @Override
    public Optional<String> getAggregateIdentifier() {
        return upcast.getAggregateIdentifier();
    }

    @Override
    public Optional<Long> getSequenceNumber() {
        return upcast.getSequenceNumber();
    }

    @Override
    public Optional<TrackingToken> getTrackingToken() {
        return upcast.getTrackingToken();
    }

    @Override
    public Instant getTimestamp() {
        return upcast.getTimestamp();
    }

    /**
     * The stored event's metadata, still undeserialized: the upcast changed only the payload ({@code upcastPayload},
     * the identity for the metadata). Axon's upcast view deserializes the stored metadata as soon as it is asked for
     * them, to apply its metadata function, and Axon asks for every event as it reads it: a fifth of the reading
     * thread's samples in a history rebuild (docs/benchmarks-log.md, session 65), for metadata no projection reads.
     */
    @Override
    public LazyDeserializingObject<MetaData> getMetaData() {
        return stored.getMetaData();
    }

    @Override
    public boolean canConvertDataTo(Class<?> requiredType) {
        return upcast.canConvertDataTo(requiredType);
    }
}

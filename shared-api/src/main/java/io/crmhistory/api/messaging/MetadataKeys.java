package io.crmhistory.api.messaging;

/** Keys of the metadata every event carries, so auditors can tell who, why and from where. */
public final class MetadataKeys {

    /** The authenticated user whose request produced the event. */
    public static final String PRINCIPAL = "principal";
    /** Ties together every event produced by one request; taken from {@code X-Correlation-Id} or generated. */
    public static final String CORRELATION_ID = "correlationId";
    /** Where the request came from: {@link #SOURCE_API} or {@link #SOURCE_IMPORT}. */
    public static final String SOURCE = "source";
    public static final String SOURCE_API = "api";
    public static final String SOURCE_IMPORT = "import";

    private MetadataKeys() {
    }
}

package io.crmhistory.query.audit;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The formats a customer's event stream is exported in, chosen by the request's {@code Accept} header. */
enum ExportFormat {

    JSON(MediaType.APPLICATION_JSON),
    NDJSON(MediaType.APPLICATION_NDJSON),
    CSV(new MediaType("text", "csv"));

    private final MediaType mediaType;

    ExportFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** The client's most preferred format we write; JSON when it does not say. */
    static ExportFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            throw new ClientInputException("Accept", "is not a list of media types");
        }
        // stable: equal qualities keep the client's order
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType wanted : accepted) {
            for (ExportFormat format : values()) {
                if (wanted.getQualityValue() > 0 && wanted.includes(format.mediaType)) {
                    return format;
                }
            }
        }
        throw new ClientInputException(HttpStatus.NOT_ACCEPTABLE, List.of(new FieldProblem("Accept",
                "the event stream is available as application/json, application/x-ndjson or text/csv")));
    }
}

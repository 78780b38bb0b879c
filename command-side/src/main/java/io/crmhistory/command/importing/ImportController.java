package io.crmhistory.command.importing;

import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.platform.messaging.RequestMetadataInterceptor;
import io.crmhistory.platform.web.CorrelationIdFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/** {@code POST /api/import}: NDJSON, one command a line (SPEC section 4); role writer. */
@RestController
@Tag(name = "import", description = "Bulk import of customer commands as NDJSON (role writer)")
class ImportController {

    private final NdjsonImporter importer;

    ImportController(NdjsonImporter importer) {
        this.importer = importer;
    }

    @PostMapping(path = "/api/import", consumes = MediaType.APPLICATION_NDJSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import commands", description = "One JSON command a line with its \"type\" (RegisterCustomer, "
            + "UpdateProfile, RecordContact, RecordPurchase, RecordRefund, ChangeStatus). One bad line never stops "
            + "the others; lines already recorded count as duplicates, so importing a file twice records nothing new, "
            + "except profile updates and status changes without effectiveAt that a later line of the file undid "
            + "(they have no identity of their own). A line may have at most 1,048,576 characters.")
    ImportReport importCommands(HttpServletRequest request) throws IOException {
        String correlationId = CorrelationIdFilter.current();
        // The lanes run on their own threads: the request's principal and correlation id go explicitly.
        Map<String, String> metaData = Map.of(
                MetadataKeys.PRINCIPAL, RequestMetadataInterceptor.currentPrincipal(),
                MetadataKeys.CORRELATION_ID, correlationId != null ? correlationId : UUID.randomUUID().toString(),
                MetadataKeys.SOURCE, MetadataKeys.SOURCE_IMPORT);
        return importer.importFrom(request.getInputStream(), metaData);
    }
}

package io.crmhistory.bench.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One customer command of the workload, as the product's HTTP API takes it ({@code method},
 * {@code path}, JSON {@code body}) and as an import line ({@link #importLine()}).
 *
 * @param type the import type name (RegisterCustomer, RecordPurchase, ...)
 */
public record WorkloadCommand(String type, String customerId, String method, String path, ObjectNode body) {

    /** {@code {"type": ..., "customerId": ..., ...body}}: the line {@code POST /api/import} takes. */
    public String importLine() {
        ObjectNode line = body.objectNode();
        line.put("type", type);
        line.put("customerId", customerId);
        body.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("customerId")) {
                line.set(field.getKey(), field.getValue());
            }
        });
        return line.toString();
    }

    public String bodyJson() {
        return body.toString();
    }
}

package io.crmhistory.bench.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One customer command of the workload, as the product's HTTP API takes it ({@code method},
 * {@code path}, JSON {@code body}) and as an import line ({@link #importLine()}).
 *
 * @param type    the import type name (RegisterCustomer, RecordPurchase, ...)
 * @param orderId the order a refund's path names, which its import line names in the body instead (null otherwise;
 *                the product refuses fields a call does not know, so the HTTP body must not carry it)
 */
public record WorkloadCommand(String type, String customerId, String orderId, String method, String path,
                              ObjectNode body) {

    /** {@code {"type": ..., "customerId": ..., ["orderId": ...,] ...body}}: the line {@code POST /api/import} takes. */
    public String importLine() {
        ObjectNode line = body.objectNode();
        line.put("type", type);
        line.put("customerId", customerId);
        if (orderId != null) {
            line.put("orderId", orderId);
        }
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

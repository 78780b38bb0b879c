package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether a customer's stored events still form an unbroken hash chain: {@code events} checked and,
 * when broken, the first sequence that does not hold and why. {@code headHash} is the hash of the last
 * valid event, the value to compare with an externally anchored copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerificationView(String customerId,
                                    boolean valid,
                                    long events,
                                    Long firstInvalidSequence,
                                    String reason,
                                    String headHash) {
}

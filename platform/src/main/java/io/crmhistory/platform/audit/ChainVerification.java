package io.crmhistory.platform.audit;

/**
 * The outcome of walking one aggregate's chain: {@code events} rows checked; when invalid, the first
 * sequence that does not hold ({@code firstInvalidSequence}) and why; {@code headHash} is the hash of
 * the last valid event (what an external anchor would record).
 */
public record ChainVerification(boolean valid, long events, Long firstInvalidSequence, String reason, String headHash) {

    static ChainVerification valid(long events, String headHash) {
        return new ChainVerification(true, events, null, null, headHash);
    }

    static ChainVerification broken(long events, long sequence, String reason, String headHash) {
        return new ChainVerification(false, events, sequence, reason, headHash);
    }
}

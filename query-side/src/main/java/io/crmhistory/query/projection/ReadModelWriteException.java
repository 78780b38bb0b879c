package io.crmhistory.query.projection;

/** A read model's batch could not be loaded or written: the batch is retried, no event is dead-lettered. */
public class ReadModelWriteException extends RuntimeException {

    public ReadModelWriteException(Throwable cause) {
        super("the read model store failed: " + cause.getMessage(), cause);
    }
}

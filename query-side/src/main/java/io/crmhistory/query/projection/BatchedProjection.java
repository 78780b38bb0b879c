package io.crmhistory.query.projection;

/** An event handler that writes its read model once per batch, after the batch's last event. */
public interface BatchedProjection {

    /** Called after each event the processor handled (or dead-lettered); writes after the batch's last. */
    void endOfBatch();

    /** Called when the processor released its segment: forget whatever was kept from the batches before. */
    void segmentReleased();
}

package io.crmhistory.query.projection;

import java.util.List;

/** Projection batches holding given changed states, for tests of stores outside this package. */
public final class Batches {

    private Batches() {
    }

    public static <S extends SequencedState> ProjectionBatch<S> changing(List<S> states) {
        ProjectionBatch<S> batch = new ProjectionBatch<>();
        states.forEach(batch::put);
        return batch;
    }
}

package io.crmhistory.query.prediction;

import io.crmhistory.platform.web.ClientInputException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prediction's {@code asOf} and a fit's {@code calibrationEnd}: a date, or a timestamp as the contract writes them. */
class ValueModelDatesTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-01-01");

    @Test
    void aDateOrATimestampWithOffsetIsTheirUtcDay() {
        assertThat(ValueModelController.date("asOf", "2025-06-01", TODAY)).isEqualTo(LocalDate.parse("2025-06-01"));
        assertThat(ValueModelController.date("asOf", "2025-06-01T09:00:00Z", TODAY))
                .isEqualTo(LocalDate.parse("2025-06-01"));
        assertThat(ValueModelController.date("asOf", "2025-06-01T01:00:00+02:00", TODAY))
                .as("the UTC day").isEqualTo(LocalDate.parse("2025-05-31"));
        assertThat(ValueModelController.date("asOf", null, TODAY)).isEqualTo(TODAY);
    }

    @Test
    void anythingElseOrTheFutureIsRefusedNamingTheField() {
        // Years outside 0001-9999 as dates too, as timestamps there are: -999999999-01-01 was answered (with nulls).
        for (String value : new String[] {"June", "2025-06-01T09:00:00", "2026-01-02", "2026-01-02T00:00:00Z",
                "-999999999-01-01", "0000-06-01", "0000-12-31T00:00:00Z"}) {
            assertThatThrownBy(() -> ValueModelController.date("asOf", value, TODAY)).as(value)
                    .isInstanceOfSatisfying(ClientInputException.class,
                            e -> assertThat(e.problems().get(0).field()).isEqualTo("asOf"));
        }
    }
}

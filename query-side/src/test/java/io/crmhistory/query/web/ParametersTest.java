package io.crmhistory.query.web;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Instants the stores cannot hold are refused as the client's mistake, never left to fail as a 500. */
class ParametersTest {

    @ParameterizedTest
    @ValueSource(strings = {"-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "0000-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-01:00"})
    void anInstantOutsideYears1To9999IsRefusedNamingTheParameter(String value) {
        assertThatThrownBy(() -> Parameters.instant("from", value))
                .isInstanceOfSatisfying(ClientInputException.class, e -> {
                    FieldProblem problem = e.problems().get(0);
                    assertThat(problem.field()).isEqualTo("from");
                    assertThat(problem.reason()).contains("0001", "9999");
                });
    }

    /** The contract: "limits are capped". */
    @org.junit.jupiter.api.Test
    void aLimitAboveTheMostIsCappedAndBelowOneRefused() {
        assertThat(Parameters.limit(null)).isEqualTo(Parameters.DEFAULT_LIMIT);
        assertThat(Parameters.limit(Parameters.MAX_LIMIT)).isEqualTo(Parameters.MAX_LIMIT);
        assertThat(Parameters.limit(Parameters.MAX_LIMIT + 1)).isEqualTo(Parameters.MAX_LIMIT);
        assertThat(Parameters.limit(Integer.MAX_VALUE)).isEqualTo(Parameters.MAX_LIMIT);
        assertThatThrownBy(() -> Parameters.limit(0)).isInstanceOfSatisfying(ClientInputException.class,
                e -> assertThat(e.problems().get(0).field()).isEqualTo("limit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "0001-01-01T01:00:00+01:00"})
    void theEdgesOfTheSupportedRangeAreAccepted(String value) {
        assertThat(Parameters.instant("to", value)).isEqualTo(java.time.OffsetDateTime.parse(value).toInstant());
    }
}

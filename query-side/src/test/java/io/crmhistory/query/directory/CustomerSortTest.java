package io.crmhistory.query.directory;

import io.crmhistory.platform.web.ClientInputException;
import org.bson.types.Decimal128;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cursor's sort value comes back from the client: whatever it was changed to is a 400 naming the cursor. */
class CustomerSortTest {

    @ParameterizedTest
    @ValueSource(strings = {"12345678901234567890123456789012340E+6111", "1E+6112", "1E-6177", "ten", ""})
    void aDecimalCursorValueMongoDbCannotHoldIsTheClientsMistake(String value) {
        for (String sort : new String[] {"netRevenue", "-predictedRevenue"}) {
            assertThatThrownBy(() -> CustomerSort.parse(sort).queryValue(value)).as(sort + " " + value)
                    .isInstanceOfSatisfying(ClientInputException.class,
                            e -> assertThat(e.problems().get(0).field()).isEqualTo("cursor"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1200.50", "999999999999999.99", "1E+6111", "1E-6176"})
    void aDecimalItCanHoldIsTheStoredValue(String value) {
        assertThat(CustomerSort.parse("netRevenue").queryValue(value)).isEqualTo(new Decimal128(new BigDecimal(value)));
    }
}

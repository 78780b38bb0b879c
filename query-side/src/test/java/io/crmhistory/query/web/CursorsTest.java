package io.crmhistory.query.web;

import io.crmhistory.platform.web.ClientInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorsTest {

    /** "Aa" and "BB" share a String.hashCode: a cursor of one filter was taken for the other's. */
    @Test
    void aCursorOfAnotherFilterIsRefusedEvenWhenTheFiltersHashAlike() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        String cursor = Cursors.encode(Map.of("o", Cursors.ordering("name", null, null, "Aa"), "v", "ada", "id", "c-1"));

        assertThat(Cursors.decode(cursor, Cursors.ordering("name", null, null, "Aa"))).containsEntry("id", "c-1");
        assertThatThrownBy(() -> Cursors.decode(cursor, Cursors.ordering("name", null, null, "BB")))
                .isInstanceOfSatisfying(ClientInputException.class,
                        e -> assertThat(e.getMessage()).contains("another ordering or filter"));
    }

    @Test
    void anOrderingDependsOnTheFilterValuesNotOnTheOrderOfACollection() {
        assertThat(Cursors.ordering("name", List.of("B", "A"))).isEqualTo(Cursors.ordering("name", List.of("A", "B")));
        assertThat(Cursors.ordering("name", "c-Aa")).isNotEqualTo(Cursors.ordering("name", "c-BB"));
        assertThat(Cursors.ordering("name", "x")).isNotEqualTo(Cursors.ordering("other", "x"));
    }
}

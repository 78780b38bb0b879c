package io.crmhistory.command.infrastructure;

import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.rules.PublishSegmentationRules;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedCommandTargetResolverTest {

    private final CachedCommandTargetResolver cached = new CachedCommandTargetResolver();
    private final AnnotationCommandTargetResolver axons = AnnotationCommandTargetResolver.builder().build();

    record ByMethod(String customerId) {
        @TargetAggregateIdentifier
        String target() {
            return "m-" + customerId;
        }
    }

    record Versioned(@TargetAggregateIdentifier String customerId, @TargetAggregateVersion Long version) {
    }

    static class Inherited {
        @TargetAggregateIdentifier
        final Object id;

        Inherited(Object id) {
            this.id = id;
        }
    }

    static final class FieldAndMethod {
        @TargetAggregateIdentifier
        final String id = "by-field";

        @TargetAggregateIdentifier
        String target() {
            return "by-method";
        }
    }

    static final class Subclass extends Inherited {
        Subclass(Object id) {
            super(id);
        }
    }

    @Test
    void resolvesEveryKindOfCommandAsAxonsResolverDoesAndTwiceTheSame() {
        List<Object> commands = List.of(new ErasePersonalData("c-1", "asked"),
                new RecordPurchase("c-2", "o-1", null, null, List.of(), null),
                new PublishSegmentationRules("rules", null), new ByMethod("c-3"), new Versioned("c-4", 7L),
                new Subclass(42L), new ErasePersonalData("c-5", null), new FieldAndMethod());
        for (Object command : commands) {
            for (int time = 0; time < 2; time++) {
                VersionedAggregateIdentifier expected = axons.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                VersionedAggregateIdentifier actual = cached.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                assertThat(actual).as(command.toString()).isEqualTo(expected);
                assertThat(actual.getIdentifierValue()).isEqualTo(expected.getIdentifierValue());
            }
        }
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(new Versioned("c-4", 7L))).getVersion())
                .isEqualTo(7L);
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(new ByMethod("c-3"))).getIdentifier())
                .isEqualTo("m-c-3");
    }

    @Test
    void aCommandWithoutItsIdentifierIsRefusedWithAxonsMessage() {
        assertThatThrownBy(() -> cached.resolveTarget(GenericCommandMessage.asCommandMessage(
                new ErasePersonalData(null, "asked"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not identify the target aggregate");
    }
}

package io.crmhistory.platform.messaging;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's message identifiers, event identifiers among them, as time-ordered UUIDs (version 7: 48 bits of Unix
 * milliseconds, then random bits; increasing within a millisecond too). The event table keeps a unique index on
 * the event identifier: with random UUIDs every appended event lands on a random leaf of that index, and the
 * embedded store rewrites every leaf a commit touched; time-ordered ones land on its last leaf. Axon finds this
 * factory through {@code META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public final class TimeOrderedIdentifierFactory extends IdentifierFactory {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    @Override
    public String generateIdentifier() {
        return GENERATOR.generate().toString();
    }
}

package io.crmhistory.query.projection;

import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.query.privacy.PersonalDataUse;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Before a batch's first event is handled, reads the data keys of every customer in the batch at once. Each event's
 * personal fields are revealed with its customer's key when its payload is deserialized; without this, the first
 * event of every customer the key cache does not hold (each new customer of an import, each customer of a rebuild)
 * asked the event store for that one key, a query per customer. The processors share deserialized events, so the
 * first of them to reach a batch reads its keys and the others find them held. The store holds the keys until the
 * batch ends (committed or rolled back), whatever its cache keeps.
 * <p>
 * Only the customers of events that reveal something are looked up: while a processor reads on its own
 * ({@code PersonalDataViews}) those of the types its read model uses (none for value and segment, registrations and
 * profile updates for the directory); while it reads the shared, revealed events those of every type with a
 * personal field.
 */
final class CustomerKeysPrefetch implements MessageHandlerInterceptor<EventMessage<?>> {

    private final CustomerKeyStore keys;
    private final Supplier<PersonalDataUse> revealed;

    /** @param revealed which personal fields the events the processor reads now reveal */
    CustomerKeysPrefetch(CustomerKeyStore keys, Supplier<PersonalDataUse> revealed) {
        this.keys = keys;
        this.revealed = revealed;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isFirstMessage()) {
            prefetch(batch, revealed.get());
        }
        return chain.proceed();
    }

    private void prefetch(BatchingUnitOfWork<?> batch, PersonalDataUse use) {
        if (use == PersonalDataUse.NONE) {
            return; // nothing is revealed: not even the batch's payload types need looking at
        }
        Set<String> customers = CustomerProjector.customersOf(batch, use::reveals);
        if (!customers.isEmpty()) {
            CustomerKeyStore.HeldKeys held = keys.prefetch(customers);
            batch.onCleanup(done -> held.release());
        }
    }
}

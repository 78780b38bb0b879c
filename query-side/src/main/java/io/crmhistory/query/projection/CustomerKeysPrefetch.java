package io.crmhistory.query.projection;

import io.crmhistory.platform.privacy.CustomerKeyStore;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Before a batch's first event is handled, reads the data keys of every customer in the batch at once. Each event's
 * personal fields are revealed with its customer's key when its payload is deserialized; without this, the first
 * event of every customer the key cache does not hold (each new customer of an import, each customer of a rebuild)
 * asked the event store for that one key, a query per customer. The processors share deserialized events, so the
 * first of them to reach a batch reads its keys and the others find them held.
 * <p>
 * A processor whose events are not revealed while it reads on its own ({@code ConcealedEvents}) reads keys only
 * while it reads the shared, revealed events.
 */
final class CustomerKeysPrefetch implements MessageHandlerInterceptor<EventMessage<?>> {

    private final CustomerKeyStore keys;
    private final BooleanSupplier revealed;

    /** @param revealed whether the events the processor reads now are revealed ones */
    CustomerKeysPrefetch(CustomerKeyStore keys, BooleanSupplier revealed) {
        this.keys = keys;
        this.revealed = revealed;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isFirstMessage() && revealed.getAsBoolean()) {
            Set<String> customers = CustomerProjector.customersOf(batch);
            if (!customers.isEmpty()) {
                keys.prefetch(customers);
            }
        }
        return chain.proceed();
    }
}

package io.crmhistory.query.projection;

import io.crmhistory.platform.privacy.CustomerKeyStore;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Set;

/**
 * Before a batch's first event is handled, reads the data keys of every customer in the batch at once. Each event's
 * personal fields are revealed with its customer's key when its payload is deserialized; without this, the first
 * event of every customer the key cache does not hold (each new customer of an import, each customer of a rebuild)
 * asked the event store for that one key, a query per customer. The processors share deserialized events, so the
 * first of them to reach a batch reads its keys and the others find them held.
 */
final class CustomerKeysPrefetch implements MessageHandlerInterceptor<EventMessage<?>> {

    private final CustomerKeyStore keys;

    CustomerKeysPrefetch(CustomerKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isFirstMessage()) {
            Set<String> customers = CustomerProjector.customersOf(batch);
            if (!customers.isEmpty()) {
                keys.prefetch(customers);
            }
        }
        return chain.proceed();
    }
}

package io.crmhistory.command.customer;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Rejects malformed customer commands before the customer is loaded, for every path that sends
 * them (HTTP and import alike). Axon's Spring Boot support registers it on the command bus.
 */
@Component
class CommandValidationInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final Clock clock;

    CommandValidationInterceptor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CustomerCommandValidator.validate(unitOfWork.getMessage().getPayload(), clock);
        return chain.proceed();
    }
}

package io.crmhistory.command.infrastructure;

import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.command.customer.UnknownOrderException;
import io.crmhistory.platform.rules.InvalidRuleException;
import io.crmhistory.platform.web.ClientInputException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The one way commands leave the web and import adapters: sends and waits, and times every command
 * as {@code crm.commands} tagged with the command type and its outcome ({@code recorded},
 * {@code duplicate}, {@code invalid}, {@code not_found}, {@code conflict}, {@code error}), from
 * dispatch to the commit of its events.
 */
@Component
public class CommandDispatcher {

    static final String METER = "crm.commands";
    private final CommandGateway gateway;
    private final MeterRegistry meters;

    CommandDispatcher(CommandGateway gateway, MeterRegistry meters) {
        this.gateway = gateway;
        this.meters = meters;
    }

    /** Sends a customer command; metadata not given here is filled from the current request. */
    public CommandResult send(Object command, Map<String, ?> metaData) {
        return timed(command, () -> gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData)));
    }

    public <R> R sendForResult(Object command) {
        return timed(command, () -> gateway.sendAndWait(command));
    }

    private <R> R timed(Object command, java.util.function.Supplier<R> send) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            R result = send.get();
            outcome = result instanceof CommandResult r && !r.recorded() ? "duplicate" : "recorded";
            return result;
        } catch (RuntimeException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            sample.stop(Timer.builder(METER)
                    .description("Commands handled, by type and outcome")
                    .tag("command", command.getClass().getSimpleName())
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    static String outcomeOf(RuntimeException e) {
        if (e instanceof ClientInputException || e instanceof InvalidRuleException) {
            return "invalid";
        }
        if (e instanceof AggregateNotFoundException || e instanceof UnknownOrderException) {
            return "not_found";
        }
        if (e instanceof CustomerConflictException || e instanceof ConcurrencyException) {
            return "conflict";
        }
        return "error";
    }
}

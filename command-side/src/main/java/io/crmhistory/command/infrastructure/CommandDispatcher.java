package io.crmhistory.command.infrastructure;

import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.command.customer.UnknownOrderException;
import io.crmhistory.platform.rules.InvalidRuleException;
import io.crmhistory.platform.web.ClientInputException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one way commands leave the web and import adapters: customer commands go through the {@link CommandLanes}
 * (recorded in batches, answered once committed), others straight to the gateway. Every command is timed as
 * {@code crm.commands} tagged with the command type and its outcome ({@code recorded}, {@code duplicate},
 * {@code invalid}, {@code not_found}, {@code conflict}, {@code error}), from dispatch to the commit of its events.
 */
@Component
public class CommandDispatcher {

    static final String METER = "crm.commands";
    private final CommandLanes lanes;
    private final CommandGateway gateway;
    private final MeterRegistry meters;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    CommandDispatcher(CommandLanes lanes, CommandGateway gateway, MeterRegistry meters) {
        this.lanes = lanes;
        this.gateway = gateway;
        this.meters = meters;
    }

    /** Sends a customer command and waits for its commit; metadata not given here is filled from the current request. */
    public CommandResult send(Object command, Map<String, ?> metaData) {
        try {
            return timed(command, () -> lanes.submit(command, metaData)).join();
        } catch (CompletionException e) {
            throw causeOf(e) instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Queues a customer command (waiting while its lane is full) without waiting for it: the future completes once the
     * command is committed, or with the exception that rejected it.
     */
    public CompletableFuture<CommandResult> submit(Object command, Map<String, ?> metaData) {
        return timed(command, () -> lanes.submit(command, metaData));
    }

    /** Timed from before the command is queued: waiting for room in a full lane counts. */
    private CompletableFuture<CommandResult> timed(Object command, Supplier<CompletableFuture<CommandResult>> submit) {
        Timer.Sample sample = Timer.start(meters);
        return submit.get().whenComplete((recorded, failure) -> sample.stop(timer(command,
                failure == null ? outcomeOfResult(recorded) : outcomeOf(failure))));
    }

    /** A command that is not about one customer (rule sets), sent on the calling thread in a transaction of its own. */
    public <R> R sendForResult(Object command) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            R result = gateway.sendAndWait(command);
            outcome = outcomeOfResult(result);
            return result;
        } catch (RuntimeException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            sample.stop(timer(command, outcome));
        }
    }

    /**
     * Looked up here, not in the registry: registering builds the meter's id and searches the registry's map by it,
     * a cost per command that Axon's per-message monitors showed in a profile (session 15, docs/benchmarks-log.md).
     */
    private Timer timer(Object command, String outcome) {
        return timers.computeIfAbsent(new TimerKey(command.getClass(), outcome), key -> Timer.builder(METER)
                .description("Commands handled, by type and outcome")
                .tag("command", key.type().getSimpleName())
                .tag("outcome", key.outcome())
                .publishPercentileHistogram()
                .register(meters));
    }

    private record TimerKey(Class<?> type, String outcome) {
    }

    private static String outcomeOfResult(Object result) {
        return result instanceof CommandResult r && !r.recorded() ? "duplicate" : "recorded";
    }

    /** The command's own exception, where a future reports it wrapped in a {@link CompletionException}. */
    public static Throwable causeOf(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    static String outcomeOf(Throwable failure) {
        Throwable e = causeOf(failure);
        if (e instanceof ClientInputException || e instanceof InvalidRuleException) {
            return "invalid";
        }
        if (e instanceof AggregateNotFoundException || e instanceof UnknownOrderException) {
            return "not_found";
        }
        if (e instanceof CustomerConflictException || LostRace.is(e)) {
            return "conflict";
        }
        return "error";
    }
}

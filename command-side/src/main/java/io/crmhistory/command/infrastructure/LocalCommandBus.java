package io.crmhistory.command.infrastructure;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.messaging.Distributed;

/**
 * The command bus that runs this JVM's handlers. With the {@code axonserver} profile the application's bus is Axon
 * Server's, which sends every command through the server to a handler on another thread: the command lanes'
 * transaction and savepoints would wrap nothing, and a handler's exception would come back as a generic
 * {@code CommandExecutionException}, so a refused refund or a taken email became a 500 and a batch was sent again
 * whole. The command side records its commands itself, in its lanes, so it dispatches to the bus's local segment,
 * exactly as with the embedded store; Axon Server still stores the events, and several instances race on one
 * customer as they do on a JDBC store (optimistic concurrency, retried).
 */
final class LocalCommandBus {

    private LocalCommandBus() {
    }

    static CommandBus of(CommandBus bus) {
        if (bus instanceof Distributed<?> distributed && distributed.localSegment() instanceof CommandBus local) {
            return local;
        }
        return bus;
    }
}

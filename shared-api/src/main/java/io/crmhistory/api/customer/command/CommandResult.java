package io.crmhistory.api.customer.command;

/**
 * What every customer command answers: the customer, the new version (the aggregate sequence of its
 * last event, so a reader can wait for the read side to reach it) and whether the command recorded
 * anything ({@code false} for an idempotent retry).
 */
public record CommandResult(String customerId, long version, boolean recorded) {
}

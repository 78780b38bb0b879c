package io.crmhistory.command.infrastructure;

/**
 * A command arrived after the command lanes stopped taking new ones (the application is shutting down). Nothing of it
 * was recorded; the client should retry, against this instance once it is back or against another one.
 */
public class CommandSideStoppingException extends RuntimeException {

    public CommandSideStoppingException() {
        super("the command side is shutting down; nothing was recorded, retry the request");
    }
}

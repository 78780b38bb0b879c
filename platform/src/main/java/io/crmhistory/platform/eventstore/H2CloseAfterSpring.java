package io.crmhistory.platform.eventstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

import java.lang.reflect.Field;

/**
 * Moves H2's own JVM shutdown hook, which closes every database this JVM opened, behind Spring's: the JVM starts all
 * shutdown hooks at once, so on SIGTERM H2 closed the event store while Spring's graceful shutdown was still letting
 * an import finish and the command lanes record their queue, and every queued command failed. H2 refuses the
 * documented way out ({@code DB_CLOSE_ON_EXIT=FALSE}) together with {@code AUTO_SERVER}, so the same hook thread is
 * taken out of the JVM's list and run as a Spring Boot shutdown handler, which runs after the application contexts
 * are closed. H2 registers the hook when this JVM opens the file (not when it reaches the other side's over
 * {@code AUTO_SERVER}), and again when it opens one after all it had open were closed, so {@link EmbeddedH2Housekeeping} calls
 * {@link #moveIfRegistered()} whenever it finds the store open here.
 */
final class H2CloseAfterSpring {

    private static final Logger log = LoggerFactory.getLogger(H2CloseAfterSpring.class);

    /** H2's hook ({@code org.h2.engine.OnExitDatabaseCloser.INSTANCE}), or null if this H2 version has none. */
    private static final Thread H2_HOOK = h2Hook();

    private static boolean handlerAdded;

    private H2CloseAfterSpring() {
    }

    /** True when H2's hook was registered with the JVM and now runs after Spring's shutdown instead. */
    static synchronized boolean moveIfRegistered() {
        if (H2_HOOK == null) {
            return false;
        }
        try {
            if (!Runtime.getRuntime().removeShutdownHook(H2_HOOK)) {
                return false;
            }
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
        if (!handlerAdded) {
            // The thread object is H2's closer; running its run() on Spring's hook thread closes the same databases.
            SpringApplication.getShutdownHandlers().add(H2_HOOK::run);
            handlerAdded = true;
        }
        log.debug("H2's shutdown hook now runs after Spring's shutdown");
        return true;
    }

    static boolean h2HookFound() {
        return H2_HOOK != null;
    }

    private static Thread h2Hook() {
        try {
            Field instance = Class.forName("org.h2.engine.OnExitDatabaseCloser").getDeclaredField("INSTANCE");
            instance.setAccessible(true);
            return (Thread) instance.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("H2's shutdown hook was not found ({}): on SIGTERM H2 may close the event store before the "
                    + "commands still queued are recorded", e.toString());
            return null;
        }
    }
}

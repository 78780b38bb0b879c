package io.crmhistory.platform.messaging;

import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.platform.web.CorrelationIdFilter;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Stamps every command with who sent it, the request's correlation id and its source, read from the
 * dispatching thread (the HTTP request's security context and MDC). Values already present win, so a
 * dispatcher working off the request thread (the import's workers) passes them explicitly.
 * {@link MessagingAutoConfiguration} then copies them onto every event the command produces.
 */
public class RequestMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    /** The principal recorded when a command is not sent on behalf of an authenticated user. */
    public static final String SYSTEM_PRINCIPAL = "system";

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            MetaData metaData = command.getMetaData();
            Map<String, Object> missing = new HashMap<>();
            if (!metaData.containsKey(MetadataKeys.PRINCIPAL)) {
                missing.put(MetadataKeys.PRINCIPAL, currentPrincipal());
            }
            if (!metaData.containsKey(MetadataKeys.CORRELATION_ID)) {
                String correlationId = CorrelationIdFilter.current();
                missing.put(MetadataKeys.CORRELATION_ID, correlationId != null ? correlationId : UUID.randomUUID().toString());
            }
            if (!metaData.containsKey(MetadataKeys.SOURCE)) {
                missing.put(MetadataKeys.SOURCE, MetadataKeys.SOURCE_API);
            }
            return missing.isEmpty() ? command : command.andMetaData(missing);
        };
    }

    /** The name of the authenticated user on this thread, or {@value #SYSTEM_PRINCIPAL}. */
    public static String currentPrincipal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated() ? authentication.getName() : SYSTEM_PRINCIPAL;
    }
}

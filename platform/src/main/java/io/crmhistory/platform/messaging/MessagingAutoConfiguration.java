package io.crmhistory.platform.messaging;

import io.crmhistory.api.messaging.MetadataKeys;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Event metadata: commands are stamped by {@link RequestMetadataInterceptor} (Axon's
 * {@code InterceptorAutoConfiguration} registers every dispatch interceptor bean on the command
 * gateway), and this correlation data provider copies the principal, correlation id and source from
 * the command being handled onto every event it applies. Declaring it replaces Axon's default
 * {@code MessageOriginProvider}, whose {@code correlationId} (the command's message id) would
 * otherwise overwrite the request's.
 */
@AutoConfiguration(before = AxonAutoConfiguration.class)
public class MessagingAutoConfiguration {

    @Bean
    RequestMetadataInterceptor requestMetadataInterceptor() {
        return new RequestMetadataInterceptor();
    }

    @Bean
    CorrelationDataProvider requestMetadataCorrelationProvider() {
        return new SimpleCorrelationDataProvider(MetadataKeys.PRINCIPAL, MetadataKeys.CORRELATION_ID, MetadataKeys.SOURCE);
    }
}

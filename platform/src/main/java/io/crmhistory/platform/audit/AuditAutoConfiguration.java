package io.crmhistory.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hash chain, built on the ObjectMapper of Axon's event serializer itself, so the payload the
 * aggregate hashes is byte for byte the payload the store keeps; and, on a JDBC event store, the
 * verifier over the raw table.
 */
@AutoConfiguration(after = {AxonAutoConfiguration.class, JdbcAutoConfiguration.class, JdbcTemplateAutoConfiguration.class})
public class AuditAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventHashChain eventHashChain(@Qualifier("eventSerializer") Serializer eventSerializer) {
        if (!(eventSerializer instanceof JacksonSerializer jackson)) {
            throw new IllegalStateException("The hash chain needs the Jackson event serializer (axon.serializer.events=jackson), not "
                    + eventSerializer.getClass().getName());
        }
        ObjectMapper mapper = jackson.getObjectMapper();
        return new EventHashChain(mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({JdbcTemplate.class, EventSchema.class})
    JdbcEventChains jdbcEventChains(JdbcTemplate jdbc, EventSchema schema) {
        return new JdbcEventChains(jdbc, schema);
    }
}

package io.crmhistory.query.infrastructure;

import io.crmhistory.embeddedmongo.ReadModelBackend;
import com.mongodb.client.MongoClient;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import io.crmhistory.query.projection.ReadModelCommits;
import io.crmhistory.query.projection.ReadModelIndexes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.convert.DefaultDbRefResolver;
import org.springframework.data.mongodb.core.convert.DefaultMongoTypeMapper;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * MongoDB as the read models' store and as the home of the projections' tracking tokens, so that a
 * read model and the position it reflects live in the same database (axon-mongo has no Spring Boot
 * starter; without this bean Axon would quietly keep the tokens in the event store's database).
 */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    /**
     * Money is aggregated ($sum, sorting by net revenue): stored as Decimal128, not as Spring Data's default string.
     * Dates without a zone (a value model's calibration end) are stored at UTC midnight by the driver's own codecs:
     * Spring Data's converters use the JVM's zone, so instances in different zones would read another day.
     */
    @Bean
    MongoCustomConversions mongoCustomConversions() {
        return MongoCustomConversions.create(conversions -> conversions
                .bigDecimal(MongoCustomConversions.BigDecimalRepresentation.DECIMAL128)
                .useNativeDriverJavaTimeCodecs());
    }

    /**
     * Spring Boot's converter without the {@code _class} type hint: every read-model document is read back as the
     * one concrete type its store declares, so the hint was only bytes, 53 of a history item's 405 (13 %) and about
     * 0.6 GB of the read-model store's page cache at a million customers (docs/benchmarks-log.md, session 26).
     * Documents written with it still read the same. String ids stay strings ({@link StringIdConverter}).
     */
    @Bean
    MappingMongoConverter mappingMongoConverter(MongoDatabaseFactory factory, MongoMappingContext context,
                                                MongoCustomConversions conversions) {
        MappingMongoConverter converter = new StringIdConverter(new DefaultDbRefResolver(factory), context);
        converter.setCustomConversions(conversions);
        converter.setCodecRegistryProvider(factory);
        converter.setTypeMapper(new DefaultMongoTypeMapper(null));
        return converter;
    }

    /** A commit of the embedded store's file, or nothing on MongoDB. */
    @Bean
    ReadModelCommits readModelCommits(ObjectProvider<ReadModelBackend> embedded) {
        ReadModelBackend backend = embedded.getIfAvailable();
        return backend == null ? () -> { } : backend::commit;
    }

    /** MongoDB keeps every index kept only for an order; the embedded store only those the read models keep everywhere. */
    @Bean
    ReadModelIndexes readModelIndexes(ObjectProvider<ReadModelBackend> embedded) {
        return new ReadModelIndexes(embedded.getIfAvailable() == null);
    }

    /**
     * Axon's access to the tracking-token and dead-letter collections, in the read models' own database (Spring Data's
     * choice: {@code spring.data.mongodb.database} before the URI's): tokens say how far the read models beside them
     * are, so dropping that database to start over must take them too, and two deployments sharing a server but not a
     * database must not share them.
     */
    @Bean
    org.axonframework.extensions.mongo.MongoTemplate axonMongoTemplate(MongoClient client,
                                                                       MongoDatabaseFactory readModels) {
        return DefaultMongoTemplate.builder()
                .mongoDatabase(client, readModels.getMongoDatabase().getName())
                .build();
    }

    @Bean
    TokenStore tokenStore(org.axonframework.extensions.mongo.MongoTemplate axonMongoTemplate,
                          @Qualifier("serializer") Serializer serializer) {
        return MongoTokenStore.builder()
                .mongoTemplate(axonMongoTemplate)
                .serializer(serializer)
                .ensureIndexes(true)
                .build();
    }
}

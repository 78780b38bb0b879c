package io.crmhistory.query.infrastructure;

import com.mongodb.client.MongoClient;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/** A {@link MongoTemplate} with the query side's converter ({@link MongoConfiguration}), for tests of stored documents. */
public final class ReadModelTemplates {

    private ReadModelTemplates() {
    }

    public static MongoTemplate configuredLikeTheQuerySide(MongoClient client) {
        return configuredLikeTheQuerySide(client, "test");
    }

    public static MongoTemplate configuredLikeTheQuerySide(MongoClient client, String database) {
        SimpleMongoClientDatabaseFactory factory = new SimpleMongoClientDatabaseFactory(client, database);
        MongoConfiguration configuration = new MongoConfiguration();
        MongoCustomConversions conversions = configuration.mongoCustomConversions();
        MongoMappingContext context = new MongoMappingContext();
        context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        context.afterPropertiesSet();
        MappingMongoConverter converter = configuration.mappingMongoConverter(factory, context, conversions);
        converter.afterPropertiesSet();
        return new MongoTemplate(factory, converter);
    }
}

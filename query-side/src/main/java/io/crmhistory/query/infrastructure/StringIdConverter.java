package io.crmhistory.query.infrastructure;

import org.bson.types.ObjectId;
import org.springframework.data.mongodb.core.convert.DbRefResolver;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * Spring Data's converter, except that a string id stays a string. By default Spring Data stores a string id that
 * reads as an ObjectId (24 hexadecimal digits) as an ObjectId and turns such a string into one in every query on
 * {@code _id}. Customer ids are chosen by clients ({@code [A-Za-z0-9._:-]{1,64}}), so a customer could be stored
 * under either type: code reading an id back as a string failed on such a customer, id-ordered pages put it after
 * everyone else, and read-model documents written through the driver had to imitate the rule. One type for every
 * id, everywhere, is simpler to get right; ids that are ObjectIds (the audit log's) are passed as ObjectIds.
 */
final class StringIdConverter extends MappingMongoConverter {

    StringIdConverter(DbRefResolver dbRefResolver, MongoMappingContext mappingContext) {
        super(dbRefResolver, mappingContext);
    }

    /** Used for the id of every document written and for every condition on {@code _id} in a query or update. */
    @Override
    public Object convertId(Object id, Class<?> targetType) {
        if (id instanceof String && ObjectId.class.equals(targetType)) {
            return id;
        }
        return super.convertId(id, targetType);
    }
}

package io.crmhistory.bench.baseline;

import org.springframework.data.mongodb.repository.MongoRepository;

interface AuditRepository extends MongoRepository<AuditRow, String> {
}

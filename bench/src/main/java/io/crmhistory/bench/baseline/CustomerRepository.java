package io.crmhistory.bench.baseline;

import org.springframework.data.mongodb.repository.MongoRepository;

interface CustomerRepository extends MongoRepository<CustomerDocument, String> {
}

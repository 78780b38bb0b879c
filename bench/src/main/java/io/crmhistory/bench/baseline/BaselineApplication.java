package io.crmhistory.bench.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The comparison point for the ingest figures: what a team would build without event sourcing. Each
 * command loads the customer's document, checks the same rules, saves the document (optimistic
 * locking) and appends an audit row, all in Spring Data MongoDB on the same embedded store the
 * product's read side uses by default (mongo-java-server with its H2 backend, under
 * {@code crm.data-dir}). It answers the product's customer endpoints with the same bodies and codes,
 * so the load driver sends both exactly the same requests.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@EnableConfigurationProperties(BaselineUsers.class)
public class BaselineApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BaselineApplication.class);
        application.setAdditionalProfiles("baseline");
        application.run(args);
    }
}

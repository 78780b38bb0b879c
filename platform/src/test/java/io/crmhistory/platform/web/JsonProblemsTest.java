package io.crmhistory.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crmhistory.api.customer.command.RecordPurchase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class JsonProblemsTest {

    private final ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private FieldProblem problemReading(String json) {
        return JsonProblems.describe(catchThrowable(() -> mapper.readValue(json, RecordPurchase.class)));
    }

    @Test
    void anUnknownFieldIsNamedWithItsPathAndTheKnownOnes() {
        ObjectMapper strict = mapper.copy().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        FieldProblem problem = JsonProblems.describe(catchThrowable(() -> strict.readValue(
                "{\"amount\": {\"value\": \"1\", \"currency\": \"EUR\", \"rate\": 2}}", RecordPurchase.class)));
        assertThat(problem.field()).isEqualTo("amount.rate");
        assertThat(problem.reason()).startsWith("is not a field of this request; known fields: ").contains("currency, value");
    }

    @Test
    void aFieldGivenTwiceIsNamedWithItsPathNotTakenAsTheLastValue() {
        ObjectMapper strict = mapper.copy().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        FieldProblem nested = JsonProblems.describe(catchThrowable(() -> strict.readValue(
                "{\"lines\": [{\"sku\": \"a\"}, {\"sku\": \"b\", \"sku\": \"c\"}]}", RecordPurchase.class)));
        assertThat(nested).isEqualTo(new FieldProblem("lines[1].sku", "is given more than once"));
        FieldProblem top = JsonProblems.describe(catchThrowable(() -> strict.readTree(
                "{\"amount\": {\"value\": \"1\"}, \"amount\": {\"value\": \"-1\"}}")));
        assertThat(top).isEqualTo(new FieldProblem("amount", "is given more than once"));
    }

    @Test
    void malformedJsonNamesTheBodyAndWhere() {
        FieldProblem problem = problemReading("{\"orderId\": \"o-1\",");
        assertThat(problem.field()).isEqualTo("body");
        assertThat(problem.reason()).startsWith("malformed JSON at line 1");
    }

    @Test
    void unknownEnumValuesNameTheFieldAndTheAllowedValues() {
        FieldProblem problem = problemReading("{\"channel\": \"PIGEON\"}");
        assertThat(problem.field()).isEqualTo("channel");
        assertThat(problem.reason()).contains("'PIGEON'", "EMAIL", "WEB");
    }

    @Test
    void wrongTypesNameTheNestedPath() {
        FieldProblem problem = problemReading(
                "{\"lines\": [{\"sku\": \"a\", \"quantity\": \"many\", \"unitPrice\": {\"value\": \"1\", \"currency\": \"EUR\"}}]}");
        assertThat(problem.field()).isEqualTo("lines[0].quantity");
        assertThat(problem.reason()).contains("'many'", "number");
    }

    @Test
    void anAmountGivenAsANumberSaysWhichFieldsTheObjectTakes() {
        FieldProblem problem = problemReading("{\"amount\": 120.50}");
        assertThat(problem.field()).isEqualTo("amount");
        assertThat(problem.reason()).isEqualTo("expected an object with value, currency");
    }

    @Test
    void aTimestampGivenAsAnObjectTakesTheRightArticle() {
        FieldProblem problem = problemReading("{\"occurredAt\": {\"at\": 1}}");
        assertThat(problem.field()).isEqualTo("occurredAt");
        assertThat(problem.reason()).startsWith("expected an ISO-8601 timestamp");
    }

    @Test
    void badTimestampsSayWhatIsExpected() {
        FieldProblem problem = problemReading("{\"occurredAt\": \"yesterday\"}");
        assertThat(problem.field()).isEqualTo("occurredAt");
        assertThat(problem.reason()).contains("ISO-8601");
    }

    @Test
    void aMissingPartOfARecordIsNamed() {
        FieldProblem problem = problemReading("{\"amount\": {\"currency\": \"EUR\"}}");
        assertThat(problem.field()).isEqualTo("amount.value");
        assertThat(problem.reason()).isEqualTo("is required");
    }

    @Test
    void aSecondValueAfterTheFirstIsNamedNotIgnored() {
        ObjectMapper strict = mapper.copy().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        FieldProblem problem = JsonProblems.describe(catchThrowable(() -> strict.readTree("{\"a\": 1}{\"b\": 2}")));
        assertThat(problem.field()).isEqualTo("body");
        assertThat(problem.reason()).startsWith("only one JSON value is allowed");
    }

    @Test
    void aNullLineOfAPurchaseReachesTheValidator() {
        assertThat(catchThrowable(() -> mapper.readValue("{\"lines\": [null]}", RecordPurchase.class))).isNull();
    }
}

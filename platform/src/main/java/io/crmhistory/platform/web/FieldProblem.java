package io.crmhistory.platform.web;

/**
 * One reason a request was refused, naming the field it concerns (a JSON path such as
 * {@code lines[0].unitPrice.value}, a parameter or header name, or {@code body} for the whole body).
 * Every 4xx problem body lists them under {@code errors}.
 */
public record FieldProblem(String field, String reason) {

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}

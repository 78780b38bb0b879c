package io.crmhistory.platform.web;

import org.springframework.http.HttpStatus;

import java.util.List;

/**
 * Input a client must correct, with every field at fault; answered as a problem with the given
 * status (400 unless a subclass says otherwise) and the problems under {@code errors}.
 */
public class ClientInputException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> problems;

    public ClientInputException(String field, String reason) {
        this(HttpStatus.BAD_REQUEST, List.of(new FieldProblem(field, reason)));
    }

    public ClientInputException(HttpStatus status, List<FieldProblem> problems) {
        super(summary(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a client input exception names at least one problem");
        }
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    static String summary(List<FieldProblem> problems) {
        return String.join("; ", problems.stream().map(FieldProblem::toString).toList());
    }
}

package io.crmhistory.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a query parameter the endpoint does not declare (400 naming it and the ones it knows), and one given more
 * than once, as the JSON bodies refuse an unknown field and a field given twice: {@code /history?type=PURCHASE} (the
 * parameter is {@code types}) would otherwise answer every type as if the filter were met, and the caller would never
 * learn the mistake.
 * <p>
 * The parameters an endpoint knows are its {@link RequestParam}s (by the annotation's name, else the parameter's own) and
 * any unannotated simple parameter Spring binds from the query in the same way. An endpoint taking a
 * {@code @RequestParam Map} accepts any name. Only query-string names are checked: a form body is not a query.
 */
public class UnknownQueryParameterInterceptor implements HandlerInterceptor {

    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    /** Per handler method, the names it binds; empty when it takes every name (a {@code Map} of parameters). */
    private final Map<Method, Optional<Set<String>>> knownNames = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String query = request.getQueryString();
        if (query == null || query.isEmpty() || !(handler instanceof HandlerMethod method)) {
            return true;
        }
        Optional<Set<String>> known = knownNames.computeIfAbsent(method.getMethod(), m -> namesBoundBy(method));
        if (known.isEmpty()) {
            return true;
        }
        Map<String, Integer> given = queryNames(query);
        List<FieldProblem> problems = new ArrayList<>();
        given.forEach((name, times) -> {
            if (!known.get().contains(name)) {
                problems.add(new FieldProblem(name, unknownReason(known.get())));
            } else if (times > 1) {
                // Spring would join the values of a text parameter (principal=alice&principal=bob finds no one) and
                // take the first of a number (limit=500&limit=1 answers 500): neither is what such a client meant.
                problems.add(new FieldProblem(name, "is given " + times + " times; give it once (a list as one "
                        + "comma-separated value)"));
            }
        });
        if (!problems.isEmpty()) {
            throw new ClientInputException(HttpStatus.BAD_REQUEST, problems);
        }
        return true;
    }

    private static String unknownReason(Set<String> known) {
        return known.isEmpty() ? "is not a parameter of this endpoint, which takes none"
                : "is not a parameter of this endpoint; it takes " + String.join(", ", new TreeSet<>(known));
    }

    static Optional<Set<String>> namesBoundBy(HandlerMethod handler) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter declared : handler.getMethodParameters()) {
            MethodParameter parameter = declared.clone();
            parameter.initParameterNameDiscovery(PARAMETER_NAMES);
            RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
            if (requestParam != null) {
                if (Map.class.isAssignableFrom(parameter.getParameterType())) {
                    return Optional.empty();
                }
                names.add(requestParam.name().isEmpty() ? parameter.getParameterName() : requestParam.name());
            } else if (parameter.getParameterAnnotations().length == 0
                    && BeanUtils.isSimpleProperty(parameter.getParameterType())) {
                names.add(parameter.getParameterName());
            }
        }
        return Optional.of(Set.copyOf(names));
    }

    /** The names of a raw query string, decoded, in the order given, with how many times each is given. */
    static Map<String, Integer> queryNames(String query) {
        Map<String, Integer> names = new LinkedHashMap<>();
        UriComponentsBuilder.newInstance().query(query).build().getQueryParams()
                .forEach((name, values) -> names.merge(decoded(name), values.size(), Integer::sum));
        return names;
    }

    /** A name with a broken escape ({@code %zz}) is kept as sent: it is unknown either way, and the 400 shows it. */
    private static String decoded(String name) {
        try {
            return UriUtils.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException brokenEscape) {
            return name;
        }
    }
}

package io.crmhistory.bench.run;

import java.util.ArrayList;
import java.util.List;

/** The paths a side's OpenAPI description lists, to skip scenarios whose API is not built yet. */
record ApiSurface(List<String> paths) {

    static ApiSurface of(HttpTarget side) {
        HttpTarget.Response docs = side.getQuietly("/v3/api-docs");
        List<String> paths = new ArrayList<>();
        if (docs != null && docs.ok()) {
            docs.json().path("paths").fieldNames().forEachRemaining(paths::add);
        }
        return new ApiSurface(List.copyOf(paths));
    }

    boolean has(String prefix, String suffix) {
        return paths.stream().anyMatch(p -> p.startsWith(prefix) && p.endsWith(suffix));
    }
}

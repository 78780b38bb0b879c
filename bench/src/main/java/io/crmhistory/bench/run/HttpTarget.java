package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * One HTTP server under test with one user's credentials; HTTP/1.1 with pooled keep-alive connections.
 *
 * <p>The load generator shares the machine's two cores with both sides, so its own cost per request is taken
 * from what the product can show: Apache's blocking client (one thread per client, no futures or selector
 * thread) used about a third of the CPU per request of the JDK's {@code java.net.http.HttpClient}
 * (docs/benchmarks-log.md, session 38). Nothing is retried: a command is sent once, as a measured client would.
 */
final class HttpTarget {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestConfig REQUEST = responseTimeout(Timeout.ofSeconds(60));
    private static final RequestConfig PROBE = responseTimeout(Timeout.ofSeconds(5));
    private static final RequestConfig IMPORT = responseTimeout(Timeout.ofHours(6));

    private static final CloseableHttpClient HTTP = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    // The widest scenario runs 16 ingest clients beside 4 readers and the probes.
                    .setMaxConnPerRoute(64)
                    .setMaxConnTotal(256)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(5))
                            // Since nothing is retried, a connection the server may have closed while it sat in
                            // the pool (between phases) is checked before it is used again.
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                            .build())
                    .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                    .build())
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableRedirectHandling()
            .build();

    private final String name;
    private final URI base;
    private final String authorization;

    HttpTarget(String name, URI base, String user, String password) {
        this.name = name;
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String name() {
        return name;
    }

    Response send(String method, String path, String jsonBody) {
        HttpUriRequestBase request = request(method, path, REQUEST);
        if (jsonBody != null) {
            request.setEntity(new StringEntity(jsonBody, ContentType.APPLICATION_JSON));
        }
        return exchange(request);
    }

    Response get(String path) {
        return exchange(request("GET", path, REQUEST));
    }

    /** A GET for probes: null instead of an exception when the server is not answering (yet). */
    Response getQuietly(String path) {
        try {
            return HTTP.execute(request("GET", path, PROBE), HttpTarget::toResponse);
        } catch (IOException e) {
            return null;
        }
    }

    Response postFile(String path, String contentType, Path file) {
        HttpUriRequestBase request = request("POST", path, IMPORT);
        request.setEntity(new FileEntity(file.toFile(), ContentType.parse(contentType)));
        return exchange(request);
    }

    private static RequestConfig responseTimeout(Timeout timeout) {
        return RequestConfig.custom().setResponseTimeout(timeout).build();
    }

    private HttpUriRequestBase request(String method, String path, RequestConfig config) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, base.resolve(path));
        request.setConfig(config);
        request.setHeader("Authorization", authorization);
        request.setHeader("Accept", "application/json");
        return request;
    }

    private static Response exchange(HttpUriRequestBase request) {
        try {
            return HTTP.execute(request, HttpTarget::toResponse);
        } catch (IOException e) {
            throw new UncheckedIOException(request.getMethod() + " " + request.getRequestUri() + " failed", e);
        }
    }

    private static Response toResponse(ClassicHttpResponse response) throws IOException {
        // Both servers answer UTF-8 JSON (or problem+json).
        String body = response.getEntity() == null ? ""
                : new String(EntityUtils.toByteArray(response.getEntity()), StandardCharsets.UTF_8);
        return new Response(response.getCode(), body);
    }

    record Response(int status, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }
}

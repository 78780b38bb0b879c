package io.crmhistory.platform.security;

import io.crmhistory.platform.config.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedCredentialsTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartCreatesOneOwnerOnlyUserPerRoleAndLaterStartsReadTheSame() throws Exception {
        Map<String, String> first = GeneratedCredentials.loadOrCreate(new DataDirectory(dataDir));
        Map<String, String> second = GeneratedCredentials.loadOrCreate(new DataDirectory(dataDir));

        assertThat(first).containsOnlyKeys("writer", "reader", "auditor", "ops");
        assertThat(first.values()).allSatisfy(password -> assertThat(password).hasSizeGreaterThanOrEqualTo(20));
        assertThat(first.values()).doesNotHaveDuplicates();
        assertThat(second).isEqualTo(first);
        Path file = dataDir.resolve(GeneratedCredentials.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void concurrentFirstStartsAgreeOnOneSetOfCredentials() throws Exception {
        int starters = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        try {
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                Callable<Map<String, String>> start = () -> {
                    go.await();
                    return GeneratedCredentials.loadOrCreate(new DataDirectory(dataDir));
                };
                results.add(pool.submit(start));
            }
            go.countDown();
            Map<String, String> expected = results.get(0).get();
            for (Future<Map<String, String>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

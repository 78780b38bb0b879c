package io.crmhistory.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** What the run left on disk: the product's event store and read-model files, and the baseline's data. */
final class DiskUsage {

    private DiskUsage() {
    }

    /** Call with every system stopped, so the files are as a restart would find them. */
    static void run(BenchContext context) {
        Path product = context.systems().productData();
        long events = size(product.resolve("eventstore.mv.db"));
        long readModels = readModelFiles(product);
        long baseline = size(context.systems().baselineData());
        context.report().add(new ScenarioResult("data on disk after the run", "files of each system", "", null,
                Map.of(), "product: event store " + ReportTable.megabytes(events) + " MB, read models "
                + ReportTable.megabytes(readModels) + " MB; baseline " + ReportTable.megabytes(baseline) + " MB"));
    }

    /** Whatever the read-model file of this version is called (its name changes with its format). */
    private static long readModelFiles(Path product) {
        try (Stream<Path> files = Files.list(product)) {
            return files.filter(file -> file.getFileName().toString().startsWith("readmodel")).mapToLong(DiskUsage::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.crmhistory.bench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run in parts continues exactly where the last part stopped, with the workload it started with. */
class BenchProgressTest {

    @TempDir
    Path scratch;

    private static BenchOptions options(String... args) {
        return BenchOptions.parse(List.of(args));
    }

    private BenchProgress afterImport(BenchOptions first) {
        BenchProgress progress = new BenchProgress(null, 0, 0, 0, first.size().toString(), first.seed())
                .after(BenchPhase.IMPORT, 1, 1_000, 1_070);
        progress.save(scratch);
        return progress;
    }

    @Test
    void whatAPartSavesTheNextLoads() {
        BenchProgress saved = afterImport(options("--size=smoke", "--scratch=" + scratch, "--until=import"));

        assertThat(BenchProgress.load(scratch)).isEqualTo(saved);
    }

    @Test
    void theNextPartStartsWithThePhaseAfterTheLastCompleted() {
        afterImport(options("--size=smoke", "--scratch=" + scratch, "--until=import"));
        BenchProgress progress = BenchProgress.load(scratch);

        progress.checkContinuation(options("--size=smoke", "--scratch=" + scratch, "--from=ingest"));
        assertThatThrownBy(() -> progress.checkContinuation(options("--size=smoke", "--scratch=" + scratch,
                "--from=queries"))).hasMessageContaining("--from=ingest");
        assertThatThrownBy(() -> progress.checkContinuation(options("--size=smoke", "--scratch=" + scratch,
                "--from=import"))).hasMessageContaining("--from=ingest");
    }

    @Test
    void anotherSizeOrSeedIsRefused() {
        afterImport(options("--size=smoke", "--scratch=" + scratch, "--until=import"));
        BenchProgress progress = BenchProgress.load(scratch);

        assertThatThrownBy(() -> progress.checkContinuation(options("--size=medium", "--scratch=" + scratch,
                "--from=ingest"))).hasMessageContaining("same --size");
        assertThatThrownBy(() -> progress.checkContinuation(options("--size=smoke", "--customers=5",
                "--scratch=" + scratch, "--from=ingest"))).hasMessageContaining("same --size");
        assertThatThrownBy(() -> progress.checkContinuation(options("--size=smoke", "--seed=1",
                "--scratch=" + scratch, "--from=ingest"))).hasMessageContaining("--seed");
    }

    @Test
    void aCompleteRunIsNotContinued() {
        BenchOptions first = options("--size=smoke", "--scratch=" + scratch);
        new BenchProgress(null, 0, 0, 0, first.size().toString(), first.seed())
                .after(BenchPhase.REBUILDS, 2, 10, 20).save(scratch);

        assertThatThrownBy(() -> BenchProgress.load(scratch).checkContinuation(options("--size=smoke",
                "--scratch=" + scratch, "--from=rebuilds"))).hasMessageContaining("complete");
    }

    @Test
    void aScratchDirectoryWithoutProgressCannotBeContinued() {
        assertThatThrownBy(() -> BenchProgress.load(scratch)).hasMessageContaining(BenchProgress.FILE);
    }

    @Test
    void partsNeedANamedScratchDirectoryAndPhasesInOrder() {
        assertThatThrownBy(() -> options("--until=queries")).hasMessageContaining("--scratch");
        assertThatThrownBy(() -> options("--from=as-of")).hasMessageContaining("--scratch");
        assertThatThrownBy(() -> options("--scratch=/x", "--from=as-of", "--until=ingest"))
                .hasMessageContaining("comes after");
        assertThatThrownBy(() -> options("--scratch=/x", "--from=asof")).hasMessageContaining("phases: import");

        BenchOptions part = options("--scratch=/x", "--from=ingest", "--until=as-of");
        assertThat(List.of(BenchPhase.values())).filteredOn(part::runs)
                .containsExactly(BenchPhase.INGEST, BenchPhase.QUERIES, BenchPhase.AS_OF);
        assertThat(options().runs(BenchPhase.IMPORT)).isTrue();
        assertThat(options().continuation()).isFalse();
    }
}

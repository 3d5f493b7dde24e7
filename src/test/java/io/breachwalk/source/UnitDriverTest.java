package io.breachwalk.source;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitDriverTest {

    /** A source over names whose judge notes what it was given. */
    private static final class Names implements CiSource<String> {
        final List<String> units;
        final boolean parallel;
        final List<String> judged = Collections.synchronizedList(new ArrayList<>());
        boolean closed;

        Names(boolean parallel, String... units) {
            this.parallel = parallel;
            this.units = List.of(units);
        }

        @Override
        public String provider() {
            return "test-ci";
        }

        @Override
        public String unitLabel() {
            return "test units";
        }

        @Override
        public List<String> units(ScanContext ctx) throws SourceException {
            if (units.isEmpty()) {
                throw new SourceException("nothing there");
            }
            return units;
        }

        @Override
        public String unitName(String unit) {
            return "p/" + unit;
        }

        @Override
        public void judge(String unit, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
            assertThat(pool).isNotNull();
            sink.examinedRun(provider());
            judged.add(unit);
        }

        @Override
        public boolean parallelUnits() {
            return parallel;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ScanContext context(Findings findings) {
        return new ScanContext(null, null, null, findings, Progress.NONE, 3);
    }

    @Test
    void judgesEveryUnitOnceCommitsItAndCloses() throws Exception {
        for (boolean parallel : new boolean[]{false, true}) {
            Findings findings = new Findings();
            Names source = new Names(parallel, "a", "b", "c");
            UnitDriver.run(source, context(findings));
            assertThat(source.judged).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(source.closed).isTrue();
            assertThat(findings.isDone("test-ci", "p/b")).isTrue();
            var counts = findings.snapshot().counts().get("test-ci");
            assertThat(counts.projects()).isEqualTo(3);
            assertThat(counts.runs()).isEqualTo(3);
        }
    }

    @Test
    void skipsUnitsAnEarlierRunFinished() throws Exception {
        Findings findings = new Findings();
        findings.unit("test-ci", "p/a").commit();
        Names source = new Names(false, "a", "b");
        UnitDriver.run(source, context(findings));
        assertThat(source.judged).containsExactly("b");
    }

    @Test
    void anUnusableSourceIsClosedToo() {
        Names source = new Names(false);
        assertThatThrownBy(() -> UnitDriver.run(source, context(new Findings()))).isInstanceOf(SourceException.class);
        assertThat(source.closed).isTrue();
    }
}

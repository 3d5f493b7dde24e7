package io.breachwalk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigInspector;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.playbook.PlaybookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The corpus of real CI files, judged job by job by hand in corpus-expected.csv; the inspector must agree.
 * Files are recognised by content (the corpus names are not the conventional ones); scripts and templates they call
 * are found through SOURCES.tsv.
 */
class CorpusInspectTest {
    /** A copy of the shared corpus of real CI files (public projects, early 2021), kept with the tests. */
    static final Path CORPUS = Path.of("src/test/resources/corpus/ci-configs");

    @Test
    void inspectorAgreesWithTheHandWrittenReadingJobByJob() throws Exception {
        Path corpus = CORPUS;
        assertThat(corpus).isDirectory();
        CorpusLookup lookup = new CorpusLookup(corpus);
        Map<String, Map<String, Map<String, String>>> expected = new LinkedHashMap<>();
        for (Map<String, String> rec : SimpleCsv.read(Path.of("src/test/resources/inspect/corpus-expected.csv"))) {
            expected.computeIfAbsent(rec.get("file"), k -> new LinkedHashMap<>()).put(rec.get("job"), rec);
        }
        ConfigInspector inspector = new ConfigInspector(Providers.standard().configReaders(),
                new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021")));
        List<String> problems = new ArrayList<>();
        int jobs = 0;
        int agree = 0;
        for (var fileEntry : expected.entrySet()) {
            String file = fileEntry.getKey();
            CorpusLookup.Source src = lookup.source(file);
            String dir = src.originalPath().contains("/") ? src.originalPath().substring(0, src.originalPath().lastIndexOf('/') + 1) : "";
            String repoPath = dir + Path.of(file).getFileName();
            CiFile ci = new CiFile(file, repoPath, Files.readString(corpus.resolve(file)));
            ConfigInspector.Outcome outcome = inspector.inspect(ci, lookup.forRepo(src.repo()), null, true);
            if (outcome.problem().isPresent()) {
                problems.add(file + ": " + outcome.problem().get());
                continue;
            }
            Map<String, JobReport> actual = new LinkedHashMap<>();
            for (JobReport jr : outcome.jobs()) actual.put(jr.job(), jr);
            for (String extra : actual.keySet()) {
                if (!fileEntry.getValue().containsKey(extra)) problems.add(file + " | " + extra + ": job not in expected CSV");
            }
            for (var e : fileEntry.getValue().entrySet()) {
                jobs++;
                Map<String, String> want = e.getValue();
                JobReport got = actual.get(e.getKey());
                if (got == null) {
                    problems.add(file + " | " + e.getKey() + ": job not reported");
                    continue;
                }
                List<String> diffs = new ArrayList<>();
                cmp(diffs, "provider", want.get("provider"), got.provider());
                cmp(diffs, "uses_indicator", want.get("uses_indicator"), got.indicator());
                cmp(diffs, "confidence", want.get("confidence"), got.confidence());
                cmp(diffs, "how", want.get("how"), got.how());
                if (got.usesIndicator() || want.get("uses_indicator").equals("true")) {
                    cmp(diffs, "secrets_in_step", want.get("secrets_in_step"), String.join(";", got.secretsInStep()));
                    cmp(diffs, "secrets_in_job", want.get("secrets_in_job"), String.join(";", got.secretsInJob()));
                }
                if (diffs.isEmpty()) agree++;
                else problems.add(file + " | " + e.getKey() + ": " + String.join(", ", diffs) + " [" + got.evidence() + "]");
            }
        }
        System.out.println("corpus: " + expected.size() + " files, " + jobs + " jobs, " + agree + " agree");
        assertThat(problems).as("disagreements with corpus-expected.csv").isEmpty();
    }

    private static void cmp(List<String> diffs, String field, String want, String got) {
        if (!want.equals(got)) diffs.add(field + " expected '" + want + "' got '" + got + "'");
    }
}

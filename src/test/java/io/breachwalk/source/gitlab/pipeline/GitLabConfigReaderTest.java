package io.breachwalk.source.gitlab.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.breachwalk.detect.FileLookup;
import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.detect.config.CiFile;
import io.breachwalk.detect.config.ConfigReader;
import io.breachwalk.detect.config.JobReport;
import io.breachwalk.playbook.PlaybookLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * inspect's GitLab reader over the pipeline analyzer: on the format readers' cases and on the real GitLab files of
 * the corpus, whose recorded verdicts it must keep.
 */
class GitLabConfigReaderTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus/ci-configs");
    private static final Path EXPECTED = Path.of("src/test/resources/gitlab/corpus-config-reader-expected.txt");
    private static IndicatorMatcher matcher;
    private final ConfigReader reader = new GitLabConfigReader();

    @BeforeAll
    static void load() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled("codecov-2021"));
    }

    private static List<String> lines(List<JobReport> reports) {
        return reports.stream().map(j -> j.provider() + "|" + j.job() + "|" + j.indicator() + "|" + j.how() + "|"
                + j.confidence() + "|" + String.join(";", j.secretsInStep()) + "|" + String.join(";", j.secretsInJob())).toList();
    }

    private List<String> read(String text, Map<String, String> tree) throws Exception {
        FileLookup lookup = p -> Optional.ofNullable(tree.get(p));
        return lines(reader.read(new CiFile(".gitlab-ci.yml", ".gitlab-ci.yml", text), lookup, matcher));
    }

    @Test
    void includeExtendsAnchorsAndDefaultScriptsAsBefore() throws Exception {
        String main = """
                include:
                  - local: ci/templates.yml
                .upload: &upload
                  - bash <(curl -s https://codecov.io/bash)
                .unused: &unused
                  after_script:
                    - bash <(curl -s https://codecov.io/bash)
                default:
                  before_script: [echo start]
                unit:
                  extends: .tests
                  variables:
                    DEPLOY_PASSWORD: literal-in-config
                  script:
                    - make test
                    - *upload
                lint:
                  script: [make lint]
                """;
        Map<String, String> tree = Map.of("ci/templates.yml", ".tests:\n  image: python\n  after_script:\n    - echo \"$SONAR_TOKEN\"\n");
        assertThat(read(main, tree)).containsExactly(
                "gitlab-ci|unit|true|curl-bash|probable|project-level: all;DEPLOY_PASSWORD;SONAR_TOKEN|",
                "gitlab-ci|lint|false||||");
    }

    @Test
    void absentRepositoryScriptsMakeAJobUnknown() throws Exception {
        String gitlab = """
                absent:
                  script:
                    - ./ci/upload.sh
                calls-present-that-calls-absent:
                  script:
                    - bash ci/present.sh
                not-a-call:
                  script:
                    - pytest tests/test_x.py
                    - echo ci/notes.sh
                standard-or-made-here:
                  script:
                    - ./configure && ./gradlew build && python setup.py test
                    - curl -sSo install.sh https://example.com/install.sh && bash install.sh
                    - node_modules/.bin/codecov --help
                    - $HOME/bin/tool.sh
                """;
        Map<String, String> tree = Map.of("ci/present.sh", "#!/bin/sh\nsh ./ci/gone.sh\n");
        assertThat(read(gitlab, tree)).containsExactly(
                "gitlab-ci|absent|unknown|script:ci/upload.sh||project-level: all|",
                "gitlab-ci|calls-present-that-calls-absent|unknown|script:ci/gone.sh||project-level: all|",
                "gitlab-ci|not-a-call|false||||",
                "gitlab-ci|standard-or-made-here|false|npm-codecov|||");
        List<JobReport> reports = reader.read(new CiFile(".gitlab-ci.yml", ".gitlab-ci.yml", gitlab),
                p -> Optional.ofNullable(tree.get(p)), matcher);
        assertThat(reports.get(1).evidence())
                .isEqualTo(".gitlab-ci.yml:6 calls ci/present.sh, which calls ci/gone.sh, not found here: cannot tell");
    }

    @Test
    void evidenceNamesTheIncludedFileAndUnfollowedIncludes() throws Exception {
        String main = """
                include:
                  - local: ci/coverage.yml
                  - template: Security/SAST.gitlab-ci.yml
                coverage:
                  extends: .coverage
                """;
        Map<String, String> tree = Map.of("ci/coverage.yml", ".coverage:\n  script:\n    - bash <(curl -s https://codecov.io/bash)\n");
        List<JobReport> reports = reader.read(new CiFile(".gitlab-ci.yml", ".gitlab-ci.yml", main),
                p -> Optional.ofNullable(tree.get(p)), matcher);
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.usesIndicator()).isTrue();
            assertThat(r.evidence()).startsWith("ci/coverage.yml:3 bash <(curl -s https://codecov.io/bash)")
                    .endsWith("include Security/SAST.gitlab-ci.yml not followed");
        });
    }

    @Test
    void aJobWhoseRulesAllSayNeverDoesNotCount() throws Exception {
        String main = """
                disabled:
                  rules:
                    - when: never
                  script: [bash <(curl -s https://codecov.io/bash)]
                conditional:
                  rules:
                    - if: $CI_COMMIT_BRANCH == "main"
                    - when: never
                  script: [bash <(curl -s https://codecov.io/bash)]
                """;
        assertThat(read(main, Map.of())).containsExactly(
                "gitlab-ci|disabled|false||||",
                "gitlab-ci|conditional|true|curl-bash|probable|project-level: all|");
    }

    /**
     * Every GitLab file of the corpus: the reader reports exactly the jobs and verdicts recorded in
     * gitlab/corpus-config-reader-expected.txt (checked against the former format reader when it was retired), so a
     * lost job, a changed verdict or a lost secret name fails here.
     */
    @Test
    void reportsTheRecordedJobsOnTheCorpus() throws Exception {
        Map<String, String[]> sources = sources();
        List<Path> files;
        try (Stream<Path> s = Files.walk(CORPUS)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".gitlab-ci.yml") || (n.endsWith(".yml") && p.getParent().getFileName().toString().equals("gitlab"));
            }).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        List<String> actual = new ArrayList<>();
        for (Path f : files) {
            String rel = CORPUS.relativize(f).toString().replace('\\', '/');
            String[] src = sources.get(rel);
            String repo = src == null ? "" : src[0];
            String repoPath = src == null ? f.getFileName().toString() : src[1];
            CiFile ci = new CiFile(rel, repoPath, Files.readString(f));
            for (String line : lines(reader.read(ci, corpusLookup(sources, repo), matcher))) {
                actual.add(rel + "\t" + line);
            }
        }
        List<String> expected = Files.readAllLines(EXPECTED).stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(actual).as("the corpus has a job running the Bash Uploader (paritytech/ink codecov)")
                .contains("gitlab/paritytech__ink__.gitlab-ci.yml\tgitlab-ci|codecov|true|curl-bash|probable"
                        + "|project-level: all;CODECOV_P_TOKEN|");
    }

    /** SOURCES.tsv: corpus file -> {repository, path in the repository}. */
    private static Map<String, String[]> sources() throws IOException {
        Map<String, String[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(CORPUS.resolve("SOURCES.tsv"));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            if (f.length >= 5) out.put(f[0], new String[] {f[1], f[4]});
        }
        return out;
    }

    /** The files of one corpus repository by their path in it (scripts the configurations call). */
    private static FileLookup corpusLookup(Map<String, String[]> sources, String repo) {
        return path -> {
            for (var e : sources.entrySet()) {
                if (e.getValue()[0].equals(repo) && e.getValue()[1].equals(path)) {
                    try {
                        return Optional.of(Files.readString(CORPUS.resolve(e.getKey())));
                    } catch (IOException ex) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        };
    }
}

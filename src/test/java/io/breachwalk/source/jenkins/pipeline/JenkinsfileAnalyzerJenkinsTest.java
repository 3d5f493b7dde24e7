package io.breachwalk.source.jenkins.pipeline;

import io.breachwalk.detect.IndicatorMatcher;
import io.breachwalk.playbook.PlaybookLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The analyzer on real Jenkinsfiles of early 2021 (src/test/resources/corpus/ci-configs/jenkins) and on hand-made cases. */
class JenkinsfileAnalyzerJenkinsTest {

    /** The corpus of real CI files kept with the tests (a copy of the shared corpus). */
    static final Path CORPUS = Path.of("src/test/resources/corpus/ci-configs/jenkins");

    static IndicatorMatcher matcher;

    @BeforeAll
    static void loadTheDefaultPlaybook() throws Exception {
        matcher = new IndicatorMatcher(PlaybookLoader.loadBundled(PlaybookLoader.DEFAULT_ID));
    }

    static String read(String name) throws Exception {
        assertThat(CORPUS).isDirectory();
        return Files.readString(CORPUS.resolve(name));
    }

    @Test
    void plotPluginRunsTheUploaderInsideWithCredentials() throws Exception {
        var a = JenkinsfileAnalyzer.analyze("Jenkinsfile", read("jenkinsci__plot-plugin__Jenkinsfile"), matcher);
        assertThat(a.declarative()).isFalse();
        assertThat(a.affectedUses()).singleElement().satisfies(u -> {
            assertThat(u.line()).isEqualTo(8);
            assertThat(u.how()).isEqualTo("curl-bash");
            assertThat(u.stage()).isEqualTo("Calculate & upload coverage");
            assertThat(u.conditional()).isFalse();
            assertThat(u.stepBindings()).extracting(JenkinsfileAnalyzer.Binding::credentialsId).containsExactly("CODECOV_TOKEN");
            assertThat(u.stepBindings().get(0).variables()).containsExactly("CODECOV_TOKEN");
        });
    }

    @Test
    void dockerCliDeclarativePipelineDoesNotRunIt() throws Exception {
        var a = JenkinsfileAnalyzer.analyze("Jenkinsfile", read("docker__cli__Jenkinsfile"), matcher);
        assertThat(a.declarative()).isTrue();
        assertThat(a.uses()).isEmpty();
        assertThat(a.bindings()).isEmpty();
    }

    @Test
    void sharedLibraryCallIsNotSeenAsTheUploader() throws Exception {
        // buildPlugin() lives in a shared library: nothing in this file runs the uploader itself.
        var a = JenkinsfileAnalyzer.analyze("Jenkinsfile", read("jenkinsci__configuration-as-code-plugin__Jenkinsfile"), matcher);
        assertThat(a.runsUploader()).isFalse();
    }

    @Test
    void stageEnvironmentAndWhenConditions() {
        var a = JenkinsfileAnalyzer.analyze("Jenkinsfile", """
                pipeline {
                  agent any
                  environment { GH = credentials('github-ci') }
                  stages {
                    stage('Publish') {
                      environment { NPM_TOKEN = credentials('npm-publish') }
                      steps { sh 'npm publish' }
                    }
                    stage('Coverage') {
                      when { branch 'main' }
                      environment { CODECOV_TOKEN = credentials('codecov-token') }
                      steps {
                        // sh 'curl -s https://codecov.io/bash | bash'   (commented out: never ran)
                        sh '''
                          set -e
                          curl -s https://codecov.io/bash | bash -s - -t $CODECOV_TOKEN
                        '''
                      }
                    }
                  }
                }
                """, matcher);
        assertThat(a.affectedUses()).singleElement().satisfies(u -> {
            assertThat(u.line()).isEqualTo(16);
            assertThat(u.stage()).isEqualTo("Coverage");
            assertThat(u.conditional()).isTrue();
            assertThat(u.condition()).contains("when");
            assertThat(u.stepBindings()).extracting(JenkinsfileAnalyzer.Binding::credentialsId)
                    .containsExactlyInAnyOrder("codecov-token", "github-ci");
            assertThat(a.jobBindings(u)).extracting(JenkinsfileAnalyzer.Binding::credentialsId).containsExactly("npm-publish");
        });
    }

    @Test
    void pythonCodecovIsRecognisedAsNotAffected() {
        var a = JenkinsfileAnalyzer.analyze("Jenkinsfile", "node { stage('t') { sh 'pip install codecov && codecov' } }", matcher);
        assertThat(a.runsUploader()).isFalse();
        assertThat(a.uses()).singleElement().satisfies(u -> assertThat(u.affected()).isFalse());
    }
}

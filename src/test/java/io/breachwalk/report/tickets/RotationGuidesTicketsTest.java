package io.breachwalk.report.tickets;

import io.breachwalk.exposure.SecretType;
import io.breachwalk.exposure.SecretTypes;
import io.breachwalk.model.RotationItem;
import io.breachwalk.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** playbooks/secret-types.yaml and playbooks/rotation.md agree, and names land on the right types. */
class RotationGuidesTicketsTest {

    @Test
    void everyTypeHasASectionWithTheFourSteps() {
        RotationGuides guides = RotationGuides.bundled();
        List<SecretType> types = SecretTypes.bundled().all();
        assertThat(types).extracting(SecretType::id).doesNotHaveDuplicates();
        for (SecretType t : types) {
            assertThat(t.guide()).as(t.id()).isEqualTo("guide/rotation.md#" + t.id());
            RotationGuide g = guides.get(t.id()).orElseThrow(() -> new AssertionError("rotation.md has no ## " + t.id()));
            assertThat(g.steps()).as(t.id()).hasSize(4);
            assertThat(g.steps().get(0)).startsWith("Revoke:");
            assertThat(g.steps().get(1)).startsWith("Replace:");
            assertThat(g.steps().get(2)).startsWith("Redeploy:");
            assertThat(g.steps().get(3)).startsWith("Audit:");
            assertThat(g.confirm()).as(t.id()).isNotBlank();
            assertThat(g.title()).as(t.id()).isNotEqualTo(t.id()).doesNotContain("**");
            if (t.vendor() != null) {
                assertThat(t.vendor()).startsWith("https://");
            }
        }
        assertThat(guides.ids()).containsExactlyInAnyOrderElementsOf(types.stream().map(SecretType::id).toList());
        // Types whose steps depend on the vendor or the system have no single vendor page.
        assertThat(types).filteredOn(t -> t.vendor() == null).extracting(SecretType::id)
                .containsExactlyInAnyOrder("git-remote-credential", "signing-key", "database-credential", "generic");
    }

    @Test
    void rotationRowsLinkToExistingSections() {
        for (RotationItem r : ReportFixture.estate().rotation()) {
            String anchor = r.guide().substring(r.guide().indexOf('#') + 1);
            assertThat(RotationGuides.bundled().get(anchor)).as(r.guide()).isPresent();
        }
    }

    @Test
    void namesAndValueShapesMapToTypes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("GITHUB_TOKEN", "github-job-token");
        expected.put("ACTIONS_RUNTIME_TOKEN", "actions-runtime-token");
        expected.put("CI_JOB_TOKEN", "gitlab-job-token");
        expected.put("url-credential:gitlab-ci-token@gitlab.com", "gitlab-job-token");
        expected.put("url-credential:ci-bot@github.com", "git-remote-credential");
        expected.put("AWS_ACCESS_KEY_ID", "aws-access-key");
        expected.put("AWS_SECRET_ACCESS_KEY", "aws-access-key");
        expected.put("aws-prod", "aws-access-key");
        expected.put("GH_PAT", "github-token");
        expected.put("RELEASE_GITHUB_TOKEN", "github-token");
        expected.put("github-ci-bot", "github-token");
        expected.put("GITLAB_TOKEN", "gitlab-token");
        expected.put("NPM_TOKEN", "npm-token");
        expected.put("NODE_AUTH_TOKEN", "npm-token");
        expected.put("@npm-publish", "npm-token");
        expected.put("PYPI_API_TOKEN", "pypi-token");
        expected.put("TWINE_PASSWORD", "pypi-token");
        expected.put("DOCKERHUB_TOKEN", "docker-registry");
        expected.put("DOCKER_PASSWORD", "docker-registry");
        expected.put("GOOGLE_APPLICATION_CREDENTIALS", "gcp-service-account");
        expected.put("GCP_SA_KEY", "gcp-service-account");
        expected.put("AZURE_CLIENT_SECRET", "azure-service-principal");
        expected.put("ARM_CLIENT_SECRET", "azure-service-principal");
        expected.put("CODECOV_TOKEN", "codecov-token");
        expected.put("SONAR_TOKEN", "sonar-token");
        expected.put("HEROKU_API_KEY", "heroku-api-key");
        expected.put("STRIPE_SECRET_KEY", "stripe-key");
        expected.put("SLACK_WEBHOOK_URL", "slack");
        expected.put("GH_PAGES_DEPLOY_KEY", "ssh-key");
        expected.put("SSH_PRIVATE_KEY", "ssh-key");
        expected.put("+deploy-ssh", "ssh-key");
        expected.put("GPG_PRIVATE_KEY", "signing-key");
        expected.put("-signing-gpg", "signing-key");
        expected.put("ANDROID_KEYSTORE_PASSWORD", "signing-key");
        expected.put("OSSRH_PASSWORD", "maven-repository");
        expected.put("GEM_HOST_API_KEY", "rubygems-api-key");
        expected.put("DATABASE_URL", "database-credential");
        expected.put("MY_INTERNAL_THING", "generic");
        SecretTypes types = SecretTypes.bundled();
        Map<String, String> actual = new LinkedHashMap<>();
        expected.keySet().forEach(name -> actual.put(name, types.byName(name).id()));
        assertThat(actual).containsExactlyEntriesOf(expected);

        assertThat(types.byName("GITHUB_TOKEN").ephemeral()).isTrue();
        assertThat(types.byName("CI_JOB_TOKEN").ephemeral()).isTrue();
        assertThat(types.byName("AWS_ACCESS_KEY_ID").critical()).isTrue();
        assertThat(types.byName("CODECOV_TOKEN").critical()).isFalse();
        assertThat(types.byName("SLACK_WEBHOOK_URL").critical()).isFalse();
        // Value shapes, for logs that printed one (made-up values in the documented shapes).
        assertThat(types.byValue("key=AKIAIOSFODNN7EXAMPLE").map(SecretType::id)).contains("aws-access-key");
        assertThat(types.byValue("ghp_" + "a".repeat(36)).map(SecretType::id)).contains("github-token");
        assertThat(types.byValue("https://hooks.slack.com/services/T000/B000/XXXX").map(SecretType::id)).contains("slack");
        assertThat(types.byValue("nothing secret here")).isEmpty();
    }
}

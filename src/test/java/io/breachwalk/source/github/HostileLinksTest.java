package io.breachwalk.source.github;

import io.breachwalk.source.HttpFailure;
import io.breachwalk.source.Retry;
import io.breachwalk.source.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 6, hostile input: a Link header or redirect to another host never gets the token. */
class HostileLinksTest {

    final GitHubRest rest = new GitHubRest("https://ghes.example.com/api/v3", "t0ken-never-sent",
            HttpClient.newHttpClient(), () -> { }, new Retry(RetryPolicy.defaults(), null));

    @Test
    void linksOnTheEndpointAreFollowed() throws Exception {
        assertThat(rest.sameHost("/repos/a/b/actions/runs")).isEqualTo(URI.create("https://ghes.example.com/api/v3/repos/a/b/actions/runs"));
        assertThat(rest.sameHost("https://GHES.example.com:443/api/v3/repos/a/b/actions/runs?page=2").getHost())
                .isEqualToIgnoringCase("ghes.example.com");
    }

    @Test
    void linksElsewhereAreRefusedBeforeAnyRequest() {
        for (String link : new String[]{"https://evil.example.net/api/v3/repos?page=2",
                "http://ghes.example.com/api/v3/repos?page=2",            // downgraded scheme
                "https://ghes.example.com:8443/api/v3/repos?page=2",      // another port
                "https://ghes.example.com.evil.net/api/v3/repos",
                "https://user@ghes.example.com/api/v3/repos",              // userinfo
                "https://ghes.example.com/other/path"}) {                  // outside the API path
            assertThatThrownBy(() -> rest.sameHost(link)).as(link).isInstanceOf(HttpFailure.class)
                    .hasMessageContaining("refusing");
        }
    }

    @Test
    void githubApiConnectorRefusesOtherOriginsWithTheToken() throws Exception {
        java.net.URL endpoint = URI.create("https://api.github.com").toURL();
        assertThat(RetryingConnector.sameOrigin(endpoint, URI.create("https://api.github.com/repos/a/b").toURL())).isTrue();
        assertThat(RetryingConnector.sameOrigin(endpoint, URI.create("https://attacker.example/repos").toURL())).isFalse();
        assertThat(RetryingConnector.sameOrigin(endpoint, URI.create("http://api.github.com/repos").toURL())).isFalse();
    }
}

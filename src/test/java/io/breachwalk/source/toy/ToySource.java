package io.breachwalk.source.toy;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.SourceException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * The toy's live walk, written against today's {@link CiSource#walk}. One GET lists every job as a line
 * `project TAB job TAB started-at TAB script TAB SECRET,SECRET`. A job is a row when its script references an
 * indicator; it ran the step when the script matches an affected one, and then each of its secrets is exposed.
 */
final class ToySource implements CiSource {
    static final String PROVIDER = "toy";

    private final String url;

    ToySource(String url) {
        this.url = url;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public void walk(ScanContext ctx) throws SourceException {
        String body;
        try {
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            throw new SourceException("the toy server at " + url + " did not answer: " + e.getMessage());
        }
        ctx.findings().request(PROVIDER);
        for (String line : body.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split("\t", -1);
            Instant started = Instant.parse(f[2]);
            if (!ctx.window().contains(started)) {
                continue;
            }
            ctx.findings().examinedJob(PROVIDER);
            var hits = ctx.matcher().affectedScript(f[3]);
            if (ctx.matcher().script(f[3]).isEmpty()) {
                continue; // a job that references no indicator is no row
            }
            Verdict verdict = hits.isEmpty() ? Verdict.NOT_RUN : Verdict.RAN;
            JobFinding job = new JobFinding(PROVIDER, URI.create(url).getHost(), f[0], "toy.yml", f[1], 1, f[1], f[1],
                    "main", "", "push", started, url + "/" + f[0] + "/" + f[1], verdict, Confidence.CONFIRMED,
                    hits.isEmpty() ? "" : "line " + hits.get(0).line() + ": " + hits.get(0).text());
            ctx.findings().job(job);
            if (verdict == Verdict.RAN) {
                for (String secret : f[4].split(",")) {
                    ctx.findings().exposure(new Exposure(job, secret, "project", f[0], ExposureLevel.JOB, "env",
                            SecretState.PRESENT, null));
                }
            }
        }
    }
}

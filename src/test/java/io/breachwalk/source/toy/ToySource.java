package io.breachwalk.source.toy;

import io.breachwalk.model.Confidence;
import io.breachwalk.model.Exposure;
import io.breachwalk.model.ExposureLevel;
import io.breachwalk.model.JobFinding;
import io.breachwalk.model.SecretState;
import io.breachwalk.model.Verdict;
import io.breachwalk.source.CiSource;
import io.breachwalk.source.Findings;
import io.breachwalk.source.ScanContext;
import io.breachwalk.source.SourceException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * The toy's live walk. One GET lists every job as a line `project TAB job TAB started-at TAB script TAB SECRET,SECRET`;
 * its units are the projects named there. A job is a row when its script references an indicator; it ran the step
 * when the script matches an affected one, and then each of its secrets is exposed.
 */
final class ToySource implements CiSource<String> {
    static final String PROVIDER = "toy";

    private final String url;
    private final Map<String, List<String[]>> byProject = new TreeMap<>();

    ToySource(String url) {
        this.url = url;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String unitLabel() {
        return "toy projects";
    }

    @Override
    public List<String> units(ScanContext ctx) throws SourceException {
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
            byProject.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        return List.copyOf(byProject.keySet());
    }

    @Override
    public String unitName(String unit) {
        return unit;
    }

    @Override
    public boolean parallelUnits() {
        return true;
    }

    @Override
    public void judge(String project, Findings.Unit sink, ScanContext ctx, ExecutorService pool) {
        for (String[] f : byProject.get(project)) {
            Instant started = Instant.parse(f[2]);
            if (!ctx.window().contains(started)) {
                continue;
            }
            sink.examinedJob(PROVIDER);
            var hits = ctx.matcher().affectedScript(f[3]);
            if (ctx.matcher().script(f[3]).isEmpty()) {
                continue; // a job that references no indicator is no row
            }
            Verdict verdict = hits.isEmpty() ? Verdict.NOT_RUN : Verdict.RAN;
            JobFinding job = new JobFinding(PROVIDER, URI.create(url).getHost(), f[0], "toy.yml", f[1], 1, f[1], f[1],
                    "main", "", "push", started, url + "/" + f[0] + "/" + f[1], verdict, Confidence.CONFIRMED,
                    hits.isEmpty() ? "" : "line " + hits.get(0).line() + ": " + hits.get(0).text());
            sink.job(job);
            if (verdict == Verdict.RAN) {
                for (String secret : f[4].split(",")) {
                    sink.exposure(new Exposure(job, secret, "project", f[0], ExposureLevel.JOB, "env",
                            SecretState.PRESENT, null));
                }
            }
        }
    }
}

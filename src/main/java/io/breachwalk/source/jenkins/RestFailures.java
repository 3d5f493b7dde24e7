package io.breachwalk.source.jenkins;

import io.breachwalk.source.HttpFailure;
import org.jclouds.http.HttpResponseException;

import java.io.IOException;
import java.time.Clock;

/**
 * Turns what jenkins-rest (jclouds) throws into an {@link HttpFailure}, so its calls retry and become gaps like the
 * raw ones: jclouds wraps HTTP errors in {@link HttpResponseException} (status and headers kept), 401 and 403 in its
 * own exceptions, and transport errors (reset, timeout, a body cut short) in runtime exceptions around an
 * IOException.
 */
final class RestFailures {

    private RestFailures() { }

    static IOException of(RuntimeException e, String what, Clock clock) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException h && h.getResponse() != null) {
                return HttpFailure.of(h.getResponse().getStatusCode(), what,
                        name -> h.getResponse().getFirstHeaderOrNull(name), clock);
            }
            String cls = t.getClass().getName();
            if (cls.equals("org.jclouds.rest.AuthorizationException")) {
                return new HttpFailure(HttpFailure.Kind.DENIED, 401, null, "HTTP 401/403 for " + what);
            }
            if (cls.equals("com.cdancy.jenkins.rest.exception.ForbiddenException")) {
                return new HttpFailure(HttpFailure.Kind.DENIED, 403, null, "HTTP 403 for " + what);
            }
            if (cls.equals("org.jclouds.rest.ResourceNotFoundException")) {
                return new HttpFailure(HttpFailure.Kind.NOT_FOUND, 404, null, "HTTP 404 for " + what);
            }
            if (t instanceof IOException io) {
                return HttpFailure.transport(what, io);
            }
        }
        // Neither HTTP nor transport: a parse error in the client on an answer of the wrong shape.
        return new HttpFailure(HttpFailure.Kind.FATAL, 0, null, "unexpected answer for " + what + ": "
                + e.getClass().getSimpleName(), e);
    }
}

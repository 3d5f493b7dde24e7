package io.breachwalk.source;

import io.breachwalk.model.Gap;

/**
 * A provider that cannot be walked at all; the message is one line telling the user what to fix. The kind says why,
 * so that the coverage row of a provider that could not run names the cause (a server that does not answer is not a
 * permissions problem).
 */
public class SourceException extends Exception {

    /** Why the provider could not be walked. */
    public enum Kind {
        /** Nothing answered: connection refused, host not found, timeout. */
        UNREACHABLE,
        /** The credentials were rejected or may not read (401, 403). */
        ACCESS_DENIED,
        /** Something answered, but it is not the API (a web page, a 404 on the API's root). */
        NOT_THE_API,
        /** The organization, repository, job or folder named does not exist (or cannot be seen). */
        NOT_FOUND,
        /** Anything else: a bad option, an answer that could not be used. */
        FAILED
    }

    private final Kind kind;

    public SourceException(String message) {
        this(Kind.FAILED, message, null);
    }

    /** The kind follows the cause: an {@link HttpFailure} that could not connect is UNREACHABLE, 401/403 denied. */
    public SourceException(String message, Throwable cause) {
        this(kindOf(cause), message, cause);
    }

    public SourceException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SourceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? Kind.FAILED : kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The coverage gap code of a provider that could not run for this reason. */
    public String gapCode() {
        return switch (kind) {
            case UNREACHABLE -> Gap.UNREACHABLE;
            // GitHub answers 404 for what the token may not see: "not found" may well be permissions.
            case ACCESS_DENIED, NOT_FOUND -> Gap.ACCESS_DENIED;
            case NOT_THE_API, FAILED -> Gap.API_ERROR;
        };
    }

    /** The kind of the first {@link HttpFailure} in the cause chain; FAILED when there is none. */
    public static Kind kindOf(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpFailure f) {
                return switch (f.kind()) {
                    case UNREACHABLE -> Kind.UNREACHABLE;
                    case DENIED -> Kind.ACCESS_DENIED;
                    case NOT_FOUND -> Kind.NOT_FOUND;
                    default -> Kind.FAILED;
                };
            }
            if (t.getCause() == t) break;
        }
        return Kind.FAILED;
    }
}

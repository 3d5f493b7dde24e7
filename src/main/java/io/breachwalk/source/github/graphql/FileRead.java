package io.breachwalk.source.github.graphql;

/**
 * What GraphQL said about one {@link FileAt}; replaces REST {@code GET /repos/{o}/{r}/contents/{path}?ref={sha}}.
 * {@code ABSENT} is only said for an {@code object} that is null with no error about it (REST's 404); anything
 * GraphQL could not answer, a truncated text (over 512,000 bytes), a directory or an error is {@code UNKNOWN}: read that
 * item through REST. {@code text} is set for TEXT only; {@code oid} (the blob sha) and {@code byteSize} for TEXT and
 * BINARY.
 */
public record FileRead(FileAt file, Kind kind, String text, String oid, long byteSize, String reason) {
    public enum Kind { TEXT, ABSENT, BINARY, UNKNOWN }

    static FileRead unknown(FileAt file, String reason) {
        return new FileRead(file, Kind.UNKNOWN, null, null, -1, reason);
    }

    public boolean known() {
        return kind != Kind.UNKNOWN;
    }
}

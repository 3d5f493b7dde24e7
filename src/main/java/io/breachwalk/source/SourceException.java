package io.breachwalk.source;

/** A provider that cannot be walked at all; the message is one line telling the user what to fix. */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}

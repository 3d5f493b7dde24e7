package io.breachwalk.detect;

/** A CI file that could not be read as configuration: the message is one line a person can act on. */
public class ConfigParseException extends Exception {
    public ConfigParseException(String message) { super(message); }
    public ConfigParseException(String message, Throwable cause) { super(message, cause); }
}

package io.breachwalk.playbook;

/** A playbook that cannot be used; the message names the file, the line where known, and what is wrong. */
public class PlaybookException extends Exception {
    public PlaybookException(String message) {
        super(message);
    }
}

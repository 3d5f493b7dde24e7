package io.breachwalk.detect;

/**
 * One place in a job that runs the uploader (affected) or uses Codecov some harmless way.
 * @param evidence "file:line text" a person can check
 */
public record StepHit(String how, boolean affected, String confidence, String evidence) {
    public static final String PROBABLE = "probable";
    public static final String POSSIBLE = "possible";
}

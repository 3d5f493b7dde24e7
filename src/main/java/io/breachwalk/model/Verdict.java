package io.breachwalk.model;

/** Whether a job executed the compromised step. */
public enum Verdict { RAN, NOT_RUN, UNKNOWN }

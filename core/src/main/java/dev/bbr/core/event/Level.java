package dev.bbr.core.event;

/** Severity of an event, bbr's four log levels. */
public enum Level {
    DEBUG, INFO, WARN, ERROR
}

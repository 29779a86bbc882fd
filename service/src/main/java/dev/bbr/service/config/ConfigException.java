package dev.bbr.service.config;

import java.util.List;

/** A config that cannot be used: every problem, one line each, naming the file and where. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

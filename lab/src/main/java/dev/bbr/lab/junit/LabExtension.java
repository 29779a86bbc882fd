package dev.bbr.lab.junit;

import dev.bbr.lab.Lab;
import dev.bbr.lab.Prerequisites;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Starts one lab per test class:
 * <pre>@RegisterExtension static LabExtension lab = LabExtension.fromResource("labs/default.yml");</pre>
 * Missing prerequisites (not root, no sshd, no unshare...) skip the class, except with CI=true
 * where they fail it - CI must never silently skip the end-to-end tests.
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback {
    private final String resource;
    private Lab lab;

    private LabExtension(String resource) {
        this.resource = resource;
    }

    public static LabExtension fromResource(String resource) {
        return new LabExtension(resource);
    }

    public Lab get() {
        if (lab == null) {
            throw new IllegalStateException("lab not started (use a static @RegisterExtension field)");
        }
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty()) {
            String msg = "bbr lab prerequisites missing: " + String.join(", ", missing)
                    + " (the lab needs Linux, root, openssh-server and util-linux)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg + " - failing because CI=true");
            }
            Assumptions.abort(msg);
        }
        lab = Lab.startFromResource(resource);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (lab != null) {
            try {
                lab.close();
            } finally {
                lab = null;
            }
        }
    }
}

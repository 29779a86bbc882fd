package dev.bbr.app;

import dev.bbr.core.errors.ErrorReport;
import java.util.List;
import java.util.Map;

/**
 * How an {@code --all-deployments} run ended.
 *
 * @param deployments every deployment the Director listed, in its order
 * @param succeeded   those that succeeded
 * @param failures    the others, each with its errors (deployments not started when the run was
 *                    cancelled are failures too)
 * @param listing     set when the deployments could not even be listed (then nothing ran); an empty
 *                    {@code deployments} list without it means the Director has no deployments
 */
public record AllDeploymentsResult(List<String> deployments, List<String> succeeded,
        Map<String, ErrorReport> failures, boolean cancelled, ErrorReport listing) {

    /** The failed deployments, in the Director's order. */
    public List<String> failed() {
        return deployments.stream().filter(failures::containsKey).toList();
    }
}

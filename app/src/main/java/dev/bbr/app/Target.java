package dev.bbr.app;

import dev.bbr.app.wiring.DirectorVmAccessFactory;

/** What a run works on: a deployment, through the Director API, or the Director VM itself, over SSH. */
public sealed interface Target permits Target.Deployment, Target.DirectorVm {

    /** The deployment name; for the Director VM the host without scheme and port (bbr's naming). */
    String name();

    /** {@code bbr deployment …}. */
    record Deployment(DirectorLogin director, String deployment) implements Target {
        @Override
        public String name() {
            return deployment;
        }
    }

    /** {@code bbr director …}: SSH straight to the Director VM with the operator's key. */
    record DirectorVm(String host, String user, String privateKeyPath) implements Target {
        @Override
        public String name() {
            return DirectorVmAccessFactory.nameOf(host);
        }
    }
}

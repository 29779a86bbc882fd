package dev.bbr.core.order;

import dev.bbr.core.model.InstanceJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Jobs in lock levels: every job of level n is locked before any of level n+1. */
public record LockOrder(List<List<InstanceJob>> levels) {

    public LockOrder {
        levels = List.copyOf(levels.stream().map(List::copyOf).toList());
    }

    /** Unlock runs the levels in exactly the reverse order. */
    public LockOrder reversed() {
        List<List<InstanceJob>> copy = new ArrayList<>(levels);
        Collections.reverse(copy);
        return new LockOrder(copy);
    }
}

package dev.bbr.core.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.core.model.Instance;
import dev.bbr.core.model.InstanceJob;
import dev.bbr.core.model.Job;
import dev.bbr.core.model.JobMetadata;
import dev.bbr.core.model.JobRef;
import dev.bbr.core.model.Script;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockOrdererTest {

    @Test
    void unconstrainedJobsShareOneLevelInInputOrder() throws Exception {
        LockOrder order = LockOrderer.forBackup().order(List.of(job("a"), job("c"), job("b")));
        assertThat(names(order)).isEqualTo(List.of(List.of("a", "c", "b")));
    }

    @Test
    void aConstraintPushesTheLaterJobToTheNextLevel() throws Exception {
        // bbr's example: [a, c, b] with b -> c gives [[a, b], [c]]
        LockOrder order = LockOrderer.forBackup().order(List.of(job("a"), job("c"), job("b", ref("c"))));
        assertThat(names(order)).isEqualTo(List.of(List.of("a", "b"), List.of("c")));
        assertThat(names(order.reversed())).isEqualTo(List.of(List.of("c"), List.of("a", "b")));
    }

    @Test
    void chainsMakeOneLevelPerLink() throws Exception {
        LockOrder order = LockOrderer.forBackup().order(List.of(job("a", ref("b")), job("b", ref("c")), job("c")));
        assertThat(names(order)).isEqualTo(List.of(List.of("a"), List.of("b"), List.of("c")));
    }

    @Test
    void aConstraintAppliesToTheNamedJobOnEveryInstance() throws Exception {
        InstanceJob c0 = job("c", "g", "0");
        InstanceJob c1 = job("c", "g", "1");
        LockOrder order = LockOrderer.forBackup().order(List.of(c0, job("b", ref("c")), c1));
        assertThat(order.levels()).hasSize(2);
        assertThat(order.levels().get(1)).containsExactly(c0, c1);
    }

    @Test
    void constraintsOnUnknownJobsOrOtherReleasesAreIgnored() throws Exception {
        LockOrder order = LockOrderer.forBackup().order(List.of(job("a", new JobRef("nope", "rel")),
                job("b", new JobRef("a", "other-release"))));
        assertThat(order.levels()).hasSize(1);
    }

    @Test
    void directorModeMatchesByJobNameOnly() throws Exception {
        LockOrder order = LockOrderer.forBackup().matchingJobNamesOnly()
                .order(List.of(job("a", new JobRef("b", "whatever")), job("b")));
        assertThat(names(order)).isEqualTo(List.of(List.of("a"), List.of("b")));
    }

    @Test
    void cyclesAreRefusedWithBbrsMessage() {
        assertThatThrownBy(() -> LockOrderer.forBackup().order(List.of(job("a", ref("b")), job("b", ref("a")))))
                .isInstanceOf(CyclicLockGraphException.class).hasMessage("job locking dependency graph is cyclic");
        assertThatThrownBy(() -> LockOrderer.forBackup().order(List.of(job("a", ref("a")))))
                .isInstanceOf(CyclicLockGraphException.class);
    }

    @Test
    void restoreUsesTheRestoreConstraints() throws Exception {
        InstanceJob a = new InstanceJob(instance("g", "0"), new Job("a", "rel", Set.of(Script.RESTORE),
                new JobMetadata(List.of(), List.of(ref("b")), false, null, null), false));
        InstanceJob b = job("b");
        assertThat(names(LockOrderer.forRestore().order(List.of(b, a)))).isEqualTo(List.of(List.of("a"),
                List.of("b")));
        assertThat(names(LockOrderer.forBackup().order(List.of(b, a)))).isEqualTo(List.of(List.of("b", "a")));
    }

    private static JobRef ref(String name) {
        return new JobRef(name, "rel");
    }

    private static InstanceJob job(String name, JobRef... before) {
        return job(name, "g", "0", before);
    }

    private static InstanceJob job(String name, String group, String index, JobRef... before) {
        return new InstanceJob(instance(group, index), new Job(name, "rel", Set.of(Script.BACKUP),
                new JobMetadata(List.of(before), List.of(), false, null, null), false));
    }

    private static Instance instance(String group, String index) {
        return new Instance(group, index, "id-" + index, false, List.of(), null);
    }

    private static List<List<String>> names(LockOrder order) {
        return order.levels().stream().map(l -> l.stream().map(j -> j.job().name()).toList()).toList();
    }
}

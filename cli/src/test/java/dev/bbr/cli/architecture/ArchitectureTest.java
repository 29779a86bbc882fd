package dev.bbr.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, checked: which module may use which. A new dependency that
 * breaks a seam fails the build instead of waiting for a review.
 */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bbr");
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void coreTalksToTheOutsideOnlyThroughItsOwnInterfaces() {
        check(noClasses().that().resideInAPackage("dev.bbr.core..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.ssh..", "dev.bbr.director..", "dev.bbr.app..", "dev.bbr.cli..",
                        "net.schmizz..", "com.hierynomus..", "okhttp3..", "picocli..")
                .because("core is the orchestration; the adapters implement its ports (docs/architecture.md)"));
    }

    @Test
    void artifactsKnowsNothingOfWorkflowsOrTransports() {
        check(noClasses().that().resideInAPackage("dev.bbr.artifacts..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.core..", "dev.bbr.ssh..", "dev.bbr.director..", "dev.bbr.app..",
                        "dev.bbr.cli..")
                .because("the artifact format and stores are a library below core"));
    }

    @Test
    void theDirectorClientDoesNotNeedSsh() {
        check(noClasses().that().resideInAPackage("dev.bbr.director..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.ssh..", "net.schmizz..", "com.hierynomus..", "dev.bbr.core..",
                        "dev.bbr.app..", "dev.bbr.cli..")
                .because("it takes BOSH_ALL_PROXY through its own ProxyRoute"));
    }

    @Test
    void sshIsATransportOnly() {
        check(noClasses().that().resideInAPackage("dev.bbr.ssh..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.director..", "dev.bbr.core..", "dev.bbr.app..", "dev.bbr.cli..",
                        "okhttp3.."));
    }

    @Test
    void theApplicationLayerKnowsNoCommandLine() {
        check(noClasses().that().resideInAPackage("dev.bbr.app..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.cli..", "picocli..")
                .because("a scheduler calls the same operations with requests built from its config"));
    }

    @Test
    void theCommandLineReachesDirectorsAndInstancesOnlyThroughTheApplicationLayer() {
        check(noClasses().that().resideInAPackage("dev.bbr.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.ssh..", "dev.bbr.director..", "net.schmizz..", "okhttp3..")
                .because("cli turns a command line into a request; app wires the real parts"));
    }

    @Test
    void theServiceRunsJobsOnlyThroughTheApplicationLayer() {
        check(noClasses().that().resideInAPackage("dev.bbr.service..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.bbr.ssh..", "dev.bbr.director..", "dev.bbr.cli..", "dev.bbr.core.remote..",
                        "dev.bbr.core.model..", "dev.bbr.core.order..", "dev.bbr.app.wiring..", "net.schmizz..",
                        "com.hierynomus..", "okhttp3..", "picocli..")
                .because("the service schedules the app layer's operations; it never reaches a Director or an"
                        + " instance itself (docs/service.md)"));
        check(noClasses().that().resideInAPackage("dev.bbr.service..").should().dependOnClassesThat()
                .haveSimpleNameEndingWith("Workflow")
                .because("workflows run through BbrApp, with the same locks and cleanup as the command line"));
    }

    @Test
    void nothingBelowTheCommandLineKnowsTheService() {
        check(noClasses().that().resideInAnyPackage("dev.bbr.app..", "dev.bbr.core..", "dev.bbr.artifacts..",
                "dev.bbr.ssh..", "dev.bbr.director..").should().dependOnClassesThat().resideInAPackage("dev.bbr.service..")
                .because("the service is a caller of the application layer, like the command line"));
    }

    @Test
    void onlyTheProcessEntryPointExits() {
        check(noClasses().that().doNotHaveFullyQualifiedName("dev.bbr.cli.Main")
                .and().resideOutsideOfPackage("dev.bbr.lab..")
                .should().callMethod(System.class, "exit", int.class)
                .because("a run always unlocks and cleans up; only main turns its result into an exit code"));
    }

    @Test
    void storeAdaptersAreReachedThroughTheRegistry() {
        check(noClasses().that().resideOutsideOfPackages("dev.bbr.artifacts.store..", "dev.bbr.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.bbr.artifacts.store.local..")
                .because("callers name a location; the StorageRegistry picks the adapter"));
    }
}

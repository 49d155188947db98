package cn.urbanmgmt.risk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package dependency rules of the application (issue 11, "a one-way core"). A plain unit test on the compiled main
 * classes (no Quarkus): an arrow X ← Y means Y may depend on X, never the reverse.
 *
 * <pre>
 *   common ← security ← registry ← events ← grading ← (approvals, intake, rules, inspection, outcomes, publication, demo, web)
 *   common ← jobs (at the level of security: jobs may use common and security, the layers from registry up may use jobs)
 * </pre>
 */
class ArchitectureTest {

    static final String ROOT = "cn.urbanmgmt.risk";

    static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
        // The rules below would hold trivially over nothing: make sure the main classes were found.
        assertTrue(mainClasses.containPackage(ROOT + ".events") && mainClasses.containPackage(ROOT + ".web"),
                "the compiled main classes (target/classes) are on the test class path");
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("a top-level package is used one way: what two packages share belongs to the lower one")
                .check(mainClasses);
    }

    @Test
    void coreLayersDependOneWayOnly() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("common").definedBy(ROOT + ".common..")
                .layer("security").definedBy(ROOT + ".security..")
                .layer("jobs").definedBy(ROOT + ".jobs..")
                .layer("registry").definedBy(ROOT + ".registry..")
                .layer("events").definedBy(ROOT + ".events..")
                .layer("grading").definedBy(ROOT + ".grading..")
                .layer("upper").definedBy(
                        ROOT + ".approvals..", ROOT + ".intake..", ROOT + ".rules..", ROOT + ".inspection..", ROOT + ".outcomes..",
                        ROOT + ".publication..", ROOT + ".demo..", ROOT + ".web..")
                .whereLayer("common").mayNotAccessAnyLayer()
                .whereLayer("security").mayOnlyAccessLayers("common")
                .whereLayer("jobs").mayOnlyAccessLayers("common", "security")
                .whereLayer("registry").mayOnlyAccessLayers("common", "security", "jobs")
                .whereLayer("events").mayOnlyAccessLayers("common", "security", "jobs", "registry")
                .whereLayer("grading").mayOnlyAccessLayers("common", "security", "jobs", "registry", "events")
                .because("a lower package that needs something decided above it declares an interface (or fires a CDI event) "
                        + "that the upper package implements (or observes)")
                .check(mainClasses);
    }

    /** Every class lives in one of the packages the layer rule knows, so a new top-level package cannot escape it. */
    @Test
    void everyClassIsInAKnownTopLevelPackage() {
        classes()
                .should().resideInAnyPackage(
                        ROOT + ".common..", ROOT + ".security..", ROOT + ".jobs..", ROOT + ".registry..",
                        ROOT + ".events..", ROOT + ".grading..", ROOT + ".approvals..", ROOT + ".intake..", ROOT + ".rules..",
                        ROOT + ".inspection..", ROOT + ".outcomes..", ROOT + ".publication..", ROOT + ".demo..",
                        ROOT + ".web..")
                .check(mainClasses);
    }
}

package io.breachwalk;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of DESIGN section 2 ("Rules the code keeps"), one rule each, checked over the compiled main
 * classes. ArchUnit reads bytecode, so a fully qualified name in code cannot hide a forbidden edge. Each rule is built
 * for a root package so that {@link ShowsAViolation} can run the same rule over a deliberately bad fixture in the test
 * tree ({@code io.breachwalk.archfixture}) and see it fail.
 */
class ArchitectureTest {

    static final String ROOT = "io.breachwalk";
    /** Folders under `source` that every provider may use: they are not providers themselves. */
    static final Set<String> SHARED_SOURCE_FOLDERS = Set.of("git", "net");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    // ---- the rules, for any root package ----

    static ArchRule modelImportsNothingOfTheProject(String root) {
        return classes().that().resideInAPackage(root + ".model..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(root + "..")
                        .or(resideInAPackage(root + ".model..")))
                .because("model holds the records every stage shares; if it imported a stage, every stage would "
                        + "depend on that one (DESIGN section 2)");
    }

    static ArchRule sourceNeverImportsReportOrCli(String root) {
        return noClasses().that().resideInAPackage(root + ".source..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".report..", root + ".cli..")
                .because("the walk hands a model snapshot to the ledger and the writers; provider code knows "
                        + "nothing of CSV or of the command line (DESIGN sections 1 and 2)");
    }

    static ArchRule reportNeverImportsSource(String root) {
        return noClasses().that().resideInAPackage(root + ".report..")
                .should().dependOnClassesThat().resideInAPackage(root + ".source..")
                .because("the report takes the model's snapshot and the ledger's rows, never the walk's own "
                        + "classes (DESIGN section 2)");
    }

    static ArchRule stagesNeverImportAProviderFolder(String root) {
        return noClasses().that().resideInAnyPackage(root + ".detect..", root + ".exposure..",
                        root + ".playbook..", root + ".evidence..")
                .should().dependOnClassesThat(resideInAProviderFolder(root))
                .because("provider semantics stay with the provider: the shared stages reach a provider only "
                        + "through the Provider interface, so a new provider is a folder plus one line in cli's "
                        + "provider list (DESIGN section 2)");
    }

    static ArchRule providersNeverImportEachOther(String root) {
        DescribedPredicate<JavaClass> shared = resideInAnyPackage(SHARED_SOURCE_FOLDERS.stream()
                .map(f -> root + ".source." + f + "..").toArray(String[]::new));
        return slices().matching(root + ".source.(*)..").namingSlices("provider folder source.$1")
                .should().notDependOnEachOther()
                .ignoreDependency(alwaysTrue(), shared)
                .because("one provider never imports another, so each can be added, changed or removed as one "
                        + "folder; source.git (local clones) is shared by all (DESIGN section 2)");
    }

    static ArchRule onlyCliReachesSim(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".cli..", root + ".sim..")
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage(root + ".sim..")
                .because("the loopback simulators are for demo and tests; the scanning code must not depend on "
                        + "them (DESIGN section 2: only cli (demo) reaches sim)");
    }

    static ArchRule simNeverReachesSourceCliOrReport(String root) {
        return noClasses().that().resideInAPackage(root + ".sim..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".source..", root + ".cli..",
                        root + ".report..")
                .because("a simulator plays the provider's server from its own estate files; sharing the client's "
                        + "classes would let the client and its test double agree on the same mistake "
                        + "(DESIGN section 2)");
    }

    static ArchRule filesIsALeaf(String root) {
        return leaf(root, "files");
    }

    static ArchRule textIsALeaf(String root) {
        return leaf(root, "text");
    }

    private static ArchRule leaf(String root, String name) {
        return classes().that().resideInAPackage(root + "." + name + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(root + "..")
                        .or(resideInAnyPackage(root + "." + name + "..", root + ".model..")))
                .because(name + " is a leaf helper every stage may use; importing a stage would bring that stage "
                        + "into every other (DESIGN section 2: neutral leaf packages files/ and text/)");
    }

    static ArchRule topLevelPackagesAreFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("package $1")
                .should().beFreeOfCycles()
                .because("each stage is a plain function of the previous stage's records; a cycle makes two "
                        + "stages one (DESIGN section 2: no cycles between top-level packages)");
    }

    static ArchRule modelKnowsNothingOfHttp(String root) {
        return noClasses().that().resideInAPackage(root + ".model..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "org.kohsuke.github..",
                        "com.cdancy..", "okhttp3..", "org.jclouds..")
                .because("the domain records know nothing of HTTP (DESIGN section 2)");
    }

    static ArchRule providerCodeKnowsNothingOfCsv(String root) {
        return noClasses().that().resideInAPackage(root + ".source..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.commons.csv..")
                .because("the provider code knows nothing of CSV: columns belong to report (DESIGN section 2)");
    }

    /** A class in `source.<p>` (or below) where `<p>` is a provider, not one of the shared source folders. */
    static DescribedPredicate<JavaClass> resideInAProviderFolder(String root) {
        Pattern folder = Pattern.compile(Pattern.quote(root + ".source.") + "([^.]+)(\\..*)?");
        return DescribedPredicate.describe("reside in a provider folder " + root + ".source.<provider>..",
                c -> {
                    Matcher m = folder.matcher(c.getPackageName());
                    return m.matches() && !SHARED_SOURCE_FOLDERS.contains(m.group(1));
                });
    }

    // ---- the rules over the main classes ----

    @Test
    void model_imports_nothing_of_the_project() {
        modelImportsNothingOfTheProject(ROOT).check(main);
    }

    @Test
    void source_never_imports_report_or_cli() {
        sourceNeverImportsReportOrCli(ROOT).check(main);
    }

    @Test
    void report_never_imports_source() {
        reportNeverImportsSource(ROOT).check(main);
    }

    @Test
    void detect_exposure_playbook_and_evidence_never_import_a_provider_folder() {
        stagesNeverImportAProviderFolder(ROOT).check(main);
    }

    @Test
    void one_provider_never_imports_another() {
        providersNeverImportEachOther(ROOT).check(main);
    }

    @Test
    void only_cli_reaches_sim() {
        onlyCliReachesSim(ROOT).check(main);
    }

    @Test
    void sim_never_reaches_source_cli_or_report() {
        simNeverReachesSourceCliOrReport(ROOT).check(main);
    }

    @Test
    void files_imports_only_model() {
        filesIsALeaf(ROOT).check(main);
    }

    @Test
    void text_imports_only_model() {
        textIsALeaf(ROOT).check(main);
    }

    @Test
    void top_level_packages_are_free_of_cycles() {
        topLevelPackagesAreFreeOfCycles(ROOT).check(main);
    }

    @Test
    void model_knows_nothing_of_http() {
        modelKnowsNothingOfHttp(ROOT).check(main);
    }

    @Test
    void provider_code_knows_nothing_of_csv() {
        providerCodeKnowsNothingOfCsv(ROOT).check(main);
    }

    /**
     * The rules can fail: the fixture in {@code io.breachwalk.archfixture} (test tree only) has a GitHub class that
     * imports a report class and a Jenkins class that imports the GitHub one; the same rules see both.
     */
    @Nested
    class ShowsAViolation {

        private static final String FIXTURE = "io.breachwalk.archfixture";
        private final JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);

        @Test
        void a_provider_class_importing_report_breaks_source_never_imports_report() {
            assertThat(sourceNeverImportsReportOrCli(FIXTURE).evaluate(fixture).hasViolation()).isTrue();
        }

        @Test
        void a_provider_importing_another_provider_breaks_one_provider_never_imports_another() {
            assertThat(providersNeverImportEachOther(FIXTURE).evaluate(fixture).hasViolation()).isTrue();
        }

        @Test
        void a_provider_using_the_shared_git_folder_is_fine() {
            JavaClasses gitOnly = new ClassFileImporter().importPackages(FIXTURE + ".source.git",
                    FIXTURE + ".source.gitlab");
            assertThat(providersNeverImportEachOther(FIXTURE).evaluate(gitOnly).hasViolation()).isFalse();
        }

        @Test
        void report_importing_source_back_is_a_cycle() {
            assertThat(topLevelPackagesAreFreeOfCycles(FIXTURE).evaluate(fixture).hasViolation()).isTrue();
        }
    }
}

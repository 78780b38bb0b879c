package io.crmhistory.command.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "io.crmhistory.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The write side decides; it never reads the read side's models (CQRS). */
    @ArchTest
    static final ArchRule commandSideNeverKnowsTheQuerySide = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.crmhistory.query..");

    /** Aggregates stay behind the command bus: web and import adapters only send commands. */
    @ArchTest
    static final ArchRule adaptersDoNotTouchAggregates = noClasses()
            .that().resideInAnyPackage("..web..", "..importing..")
            .should().dependOnClassesThat().haveSimpleName("Customer");

    /** The domain does not know HTTP. */
    @ArchTest
    static final ArchRule aggregatesDoNotKnowTheWeb = classes()
            .that().haveSimpleNameEndingWith("Customer").or().haveSimpleName("SegmentationRuleBook")
            .should().onlyDependOnClassesThat().resideOutsideOfPackages("org.springframework.web..", "jakarta.servlet..");
}

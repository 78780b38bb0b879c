package io.crmhistory.query.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "io.crmhistory.query", importOptions = ImportOption.DoNotIncludeTests.class)
class QuerySideArchitectureTest {

    /** The query side only remembers and answers: it knows the shared language, never the side that decides. */
    @ArchTest
    static final ArchRule neverDependsOnTheCommandSide = noClasses().that().resideInAPackage("io.crmhistory.query..")
            .should().dependOnClassesThat().resideInAPackage("io.crmhistory.command..");

    /**
     * The pure state logic (shared with rebuilds and the audit's as-of replay) touches no framework. A state may
     * carry the driver's mapping annotation ({@code @BsonId}, how the driver's record codec writes it): metadata that
     * runs nothing.
     */
    @ArchTest
    static final ArchRule stateLogicIsPure = noClasses().that().haveSimpleNameEndingWith("Logic")
            .or().haveSimpleNameEndingWith("State").or().haveSimpleNameEndingWith("Evaluator")
            .should().dependOnClassesThat(resideInAnyPackage("org.springframework..", "org.axonframework..",
                    "com.mongodb..", "org.bson..").and(not(resideInAPackage("org.bson.codecs.pojo.annotations"))));
}

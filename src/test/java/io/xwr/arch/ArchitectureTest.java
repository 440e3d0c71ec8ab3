package io.xwr.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arrows of docs/architecture (shared design notes), as an executable rule. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.xwr");
    }

    @Test
    void domainDependsOnlyOnJavaAndJackson() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("io.xwr.event..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.xwr.event..");
        rule.check(classes);
    }

    /** The packages that own tables, each with its own SQL; the shared plumbing is {@code store}. */
    private static final String[] OWN_TABLES = {
        "io.xwr.store..",
        "io.xwr.rawlog..",
        "io.xwr.projection..",
        "io.xwr.outbox..",
        "io.xwr.coverage..",
        "io.xwr.replay..",
        "io.xwr.compliance..",
        "io.xwr.accounts..",
        "io.xwr.timeline.."
    };

    @Test
    void onlyThePackagesOwningTablesTouchJpaOrJdbc() {
        noClasses()
                .that()
                .resideOutsideOfPackages(OWN_TABLES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.persistence..", "org.hibernate..", "io.quarkus.hibernate..", "java.sql..")
                .check(classes);
    }

    @Test
    void storeIsPlumbingThatKnowsNoStage() {
        noClasses()
                .that()
                .resideInAPackage("io.xwr.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.xwr.rawlog..",
                        "io.xwr.projection..",
                        "io.xwr.outbox..",
                        "io.xwr.coverage..",
                        "io.xwr.replay..",
                        "io.xwr.compliance..",
                        "io.xwr.accounts..",
                        "io.xwr.timeline..",
                        "io.xwr.ingress..",
                        "io.xwr.admin..",
                        "io.xwr.xapi..",
                        "io.xwr.event..",
                        "io.xwr.signature..")
                .check(classes);
    }

    @Test
    void onlyOutboxTouchesKafka() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.xwr.outbox..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.cloudevents..")
                .check(classes);
    }

    @Test
    void signatureKnowsNoHttp() {
        noClasses()
                .that()
                .resideInAPackage("io.xwr.signature..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "io.vertx..", "io.netty..", "org.jboss.resteasy..")
                .check(classes);
    }

    @Test
    void arrowsPointOneWay() {
        noClasses() // the raw log stores bytes and knows what reads it only as a position
                .that()
                .resideInAPackage("io.xwr.rawlog..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.xwr.event..",
                        "io.xwr.projection..",
                        "io.xwr.outbox..",
                        "io.xwr.compliance..",
                        "io.xwr.coverage..",
                        "io.xwr.replay..",
                        "io.xwr.ingress..",
                        "io.xwr.admin..")
                .check(classes);
        noClasses() // the relay publishes what the projection stored; it never projects
                .that()
                .resideInAPackage("io.xwr.outbox..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.xwr.projection..", "io.xwr.rawlog..", "io.xwr.ingress..", "io.xwr.admin..")
                .check(classes);
        noClasses() // purges and retention decide nothing about what an event means
                .that()
                .resideInAPackage("io.xwr.compliance..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.xwr.projection..", "io.xwr.ingress..", "io.xwr.admin..")
                .check(classes);
        noClasses() // the X client holds no business rules: it knows neither storage nor recovery
                .that()
                .resideInAPackage("io.xwr.xapi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.xwr.store..", "io.xwr.coverage..", "io.xwr.replay..", "io.xwr.admin..")
                .check(classes);
        noClasses() // the ack path stores bytes; what they mean is the projection's business
                .that()
                .resideInAPackage("io.xwr.ingress..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.xwr.admin..",
                        "io.xwr.projection..",
                        "io.xwr.event..",
                        "io.xwr.outbox..",
                        "io.xwr.compliance..",
                        "io.xwr.replay..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.xwr.signature..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.xwr.ingress..", "io.xwr.store..", "io.xwr.admin..", "io.xwr.event..")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage("io.xwr.config..", "io.xwr.web..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.xwr.ingress..", "io.xwr.store..", "io.xwr.admin..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.xwr.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void timeComesFromTheInjectedClock() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("io.xwr.config.ClockProducer")
                .should()
                .callMethod(Instant.class, "now")
                .check(classes);
    }
}

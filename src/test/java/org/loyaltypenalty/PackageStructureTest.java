package org.loyaltypenalty;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure the README describes, checked on the compiled main classes: no package
 * depends on one that depends on it back, the audit collects the report's data but does not
 * render it, and the shared top-level classes (column names, errors) depend on no package.
 */
class PackageStructureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.loyaltypenalty");

  @Test
  void noPackageDependsOnOneThatDependsOnItBack() {
    slices().matching("org.loyaltypenalty.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theAuditDoesNotRenderTheReport() {
    noClasses().that().resideInAPackage("org.loyaltypenalty.audit..")
        .should().dependOnClassesThat().haveSimpleName("ReportRenderer").check(MAIN);
  }

  @Test
  void theTopLevelClassesDependOnNoPackageOfTheProduct() {
    noClasses().that().resideInAPackage("org.loyaltypenalty")
        .should().dependOnClassesThat().resideInAPackage("org.loyaltypenalty.*..")
        .check(MAIN);
  }
}

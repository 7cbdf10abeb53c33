package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;

class OutputWriterTest {
  /**
   * A formula-safe CSV also shows bidirectional controls as code points: in a spreadsheet
   * {@code M5\u202Egnp.exe} would display as {@code M5exe.png}.
   */
  @Test
  void aCsvShowsBidirectionalControlsAsCodePoints(@TempDir Path dir) throws Exception {
    new OutputWriter(TestSpark.spark(), dir.toString()).writeCsv(TestSpark.strings(
        List.of("sku_id", "merchant_id"), List.of(
            Arrays.asList("M5\u202Egnp.exe", "=1+1"),
            Arrays.asList("a\u2066b\u2069c\u200F", "plain"))), "out.csv");
    assertEquals(List.of("sku_id,merchant_id", "M5[U+202E]gnp.exe,'=1+1",
        "a[U+2066]b[U+2069]c[U+200F],plain"), Files.readAllLines(dir.resolve("out.csv")));
  }

  /**
   * Every start a spreadsheet runs as a formula is prefixed, after the controls are shown (a
   * shown control starts with "[", so the cell is no longer formula-like); a CSV cell keeps its
   * null, its empty string and a formula character that is not first.
   */
  @Test
  void aCellIsDefusedOnlyWhenItStartsLikeAFormula() {
    for (String start : List.of("=", "+", "-", "@", "\t", "\r")) {
      assertEquals("'" + start + "1", OutputWriter.safeCell(start + "1"), start);
    }
    assertEquals("[U+202E]=1", OutputWriter.safeCell("\u202E=1"));
    assertEquals("a=1-2", OutputWriter.safeCell("a=1-2"));
    assertEquals(" =1", OutputWriter.safeCell(" =1"));
    assertEquals("", OutputWriter.safeCell(""));
    assertNull(OutputWriter.safeCell(null));
  }
}

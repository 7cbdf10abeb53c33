package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

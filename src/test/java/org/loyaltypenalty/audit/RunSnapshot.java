package org.loyaltypenalty.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.TestSpark;

/**
 * What an audit left in its output directory, less what differs from run to run by design (the
 * run id and the timings): every findings and quarantine row, the manifest's counts, results,
 * period, config and inputs, the report data, and the CSVs. Two snapshots of the same inputs and
 * config are equal.
 */
record RunSnapshot(List<String> findings, List<String> quarantine, JsonNode manifest,
    JsonNode reportData, Map<String, String> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FILES = List.of("findings.csv", "quarantine.csv",
      "evidence-annex-data.csv", "evidence-pairs-data.csv");

  static RunSnapshot of(Path out) throws IOException {
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    ObjectNode kept = JSON.createObjectNode();
    for (String k : List.of("counts", "results", "period", "config", "config_sha256", "inputs")) {
      kept.set(k, manifest.get(k));
    }
    ObjectNode reportData = (ObjectNode) JSON.readTree(out.resolve("report-data.json").toFile());
    reportData.remove(Columns.Findings.RUN_ID);
    // the CSVs carry the run id in a column of their own
    String runId = manifest.get(Columns.Findings.RUN_ID).asText();
    Map<String, String> files = new LinkedHashMap<>();
    for (String f : FILES) {
      files.put(f, Files.readString(out.resolve(f), StandardCharsets.UTF_8).replace(runId, ""));
    }
    return new RunSnapshot(rows(out.resolve("findings")), rows(out.resolve("quarantine")), kept,
        reportData, files);
  }

  /** Asserts part by part, so that a failure names what differs. */
  void assertSameAs(RunSnapshot other) {
    assertEquals(findings, other.findings, "findings, every level and column");
    assertEquals(quarantine, other.quarantine, "quarantine");
    assertEquals(manifest, other.manifest, "manifest: counts, results, period, config, inputs");
    assertEquals(reportData, other.reportData, "report-data.json");
    for (String f : FILES) {
      assertEquals(files.get(f), other.files.get(f), f);
    }
  }

  /** Every row of a Delta table but its run id, as text, in one order. */
  private static List<String> rows(Path table) {
    Dataset<Row> t = TestSpark.spark().read().format("delta").load(table.toString());
    if (Arrays.asList(t.columns()).contains(Columns.Findings.RUN_ID)) {
      t = t.drop(Columns.Findings.RUN_ID);
    }
    return t.collectAsList().stream().map(Row::toString).sorted().toList();
  }
}

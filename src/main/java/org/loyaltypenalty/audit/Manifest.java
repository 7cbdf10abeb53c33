package org.loyaltypenalty.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.io.InputDescription;
import org.loyaltypenalty.run.DisclosedOffers;
import org.loyaltypenalty.run.ProcessingRecord;
import org.loyaltypenalty.run.RunCounts;
import org.loyaltypenalty.run.RunPeriod;
import org.loyaltypenalty.run.RunResults;

/**
 * The run manifest ({@code manifest.json}): what was read (paths, formats, Delta versions,
 * every file read with its SHA-256), the effective config and its hash, the code version, the
 * command line, the counts (which reconcile: {@code quotes_read = quotes_valid +
 * quotes_quarantined}, and the reasons sum to {@code quotes_quarantined}), the results, the
 * timings ({@code timings_s}: the main line's steps, which add up to the run's duration;
 * {@code beside_s}: the steps that ran beside them), the runtime (Spark, Delta and Java
 * versions, master and parallelism), the processing record of the personal data read
 * ({@link ProcessingRecord}), and, when {@code offers.disclosed} lists offers, what the check of
 * disclosed offers did ({@code disclosed_offers}, {@link DisclosedOffers}).
 */
public record Manifest(
    String runId,
    Instant started,
    Instant finished,
    AuditRequest request,
    AuditConfig config,
    InputDescription quotes,
    Optional<InputDescription> purchases,
    RunCounts counts,
    RunResults results,
    RunPeriod period,
    Map<String, Double> timings,
    Map<String, Double> besideTimings,
    Map<String, String> outputs,
    Map<String, String> runtime,
    Optional<InputDescription> customers,
    ProcessingRecord processing,
    Optional<DisclosedOffers> disclosedOffers) {

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("tool", "loyalty-penalty-detector");
    m.put("code_version", CodeVersion.describe());
    m.put("runtime", runtime);
    m.put("started_at", started.toString());
    m.put("finished_at", finished.toString());
    m.put("duration_s", durationSeconds());
    m.put("command_line", request.commandLine());
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("quotes", describe(quotes));
    inputs.put("purchases", purchases.map(Manifest::describe).orElse(null));
    customers.ifPresent(c -> inputs.put("customers", describe(c)));
    m.put("inputs", inputs);
    Map<String, String> effective = config.asMap();
    m.put("config_file", request.configFile().orElse(null));
    m.put("config", effective);
    m.put("config_sha256", sha256(effective.toString()));
    m.put("period", period);
    m.put("counts", counts);
    m.put("results", results);
    disclosedOffers.ifPresent(d -> m.put("disclosed_offers", d));
    m.put("timings_s", timings);
    m.put("beside_s", besideTimings);
    m.put("outputs", outputs);
    m.put("processing", processing);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** From {@code started} to {@code finished}, to the millisecond. */
  public double durationSeconds() {
    return Duration.between(started, finished).toMillis() / 1000.0;
  }

  private static Map<String, Object> describe(InputDescription d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", d.path());
    m.put("format", d.format());
    m.put("delta_version", d.deltaVersion().orElse(null));
    List<Map<String, Object>> files = d.files().stream().map(f -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", f.path());
      e.put("bytes", f.bytes());
      e.put("modified", Instant.ofEpochMilli(f.modifiedEpochMs()).toString());
      e.put("sha256", f.sha256());
      return e;
    }).toList();
    m.put("files", files);
    return m;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

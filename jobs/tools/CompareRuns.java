import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares two trees of outputs of the same runs on the same inputs and config (audit
 * directories, nightly histories), as the project's reproducibility guarantee states them:
 * equal bit for bit except the run id, timings, the runtime and the jar's build facts.
 *
 * <pre>
 * java --add-opens=... -cp 'target/loyalty-penalty-detector.jar:target/lib/*' \
 *     jobs/tools/CompareRuns.java TREE_A TREE_B
 * </pre>
 *
 * <ul>
 *   <li>Both trees hold the same files, Delta tables taken as one entry each.
 *   <li>Delta tables: the same rows of the current version (a multiset, every column except
 *       {@code run_id}), each value in its exact text form (doubles to the last bit).
 *   <li>CSV: the same lines in the same order, the {@code run_id} column left out.
 *   <li>JSON: the same tree without the keys in {@link #VOLATILE} at any depth.
 *   <li>Other files (HTML, PDF, SVG): present on both sides; their text holds the run id.
 * </ul>
 * Paths inside values are compared with each tree's own root replaced by {@code <root>}.
 * Prints one line per compared entry ("same ..." or "differs ...") and exits 0 when everything
 * is the same, 1 otherwise, 2 on bad arguments.
 */
public final class CompareRuns {
  /**
   * What may differ between two runs of the same inputs and config: the run's id and times, the
   * runtime (master, parallelism, adaptive execution) and when the jar was built (its time, and
   * whether the checkout had uncommitted changes then: two builds of one commit may differ).
   */
  static final Set<String> VOLATILE = Set.of("run_id", "started_at", "finished_at", "duration_s",
      "timings_s", "beside_s", "runtime", "build_time", "git_dirty");
  static final String RUN_ID = "run_id";
  static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final Path a;
  private final Path b;
  private int differences;
  private int compared;

  CompareRuns(SparkSession spark, Path a, Path b) {
    this.spark = spark;
    this.a = a;
    this.b = b;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !Files.isDirectory(Path.of(args[0])) || !Files.isDirectory(Path.of(args[1]))) {
      System.err.println("usage: CompareRuns TREE_A TREE_B (two directories)");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("compare-runs")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    int differences;
    int compared;
    try {
      CompareRuns c = new CompareRuns(spark, Path.of(args[0]), Path.of(args[1]));
      c.compare();
      differences = c.differences;
      compared = c.compared;
    } finally {
      spark.stop();
    }
    System.out.printf("%s: %d entries compared, %d differ%n",
        differences == 0 ? "same" : "DIFFERENT", compared, differences);
    System.exit(differences == 0 ? 0 : 1);
  }

  void compare() throws IOException {
    Set<String> left = entries(a);
    Set<String> right = entries(b);
    for (String only : difference(left, right)) {
      differs(only, "only in " + a);
    }
    for (String only : difference(right, left)) {
      differs(only, "only in " + b);
    }
    for (String entry : left) {
      if (!right.contains(entry)) {
        continue;
      }
      compared++;
      Path pa = a.resolve(entry);
      Path pb = b.resolve(entry);
      if (Files.isDirectory(pa)) {
        compareTables(entry, pa, pb);
      } else if (entry.endsWith(".csv")) {
        compareCsv(entry, pa, pb);
      } else if (entry.endsWith(".json")) {
        compareJson(entry, pa, pb);
      } else {
        System.out.println("present " + entry);
      }
    }
  }

  /** Files by relative path; a Delta table is one entry (its directory). */
  static Set<String> entries(Path root) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p) && Files.isDirectory(p.resolve("_delta_log"))) {
          out.add(root.relativize(p).toString());
        } else if (Files.isRegularFile(p) && !insideTable(root, p)) {
          out.add(root.relativize(p).toString());
        }
      }
    }
    return out;
  }

  private static boolean insideTable(Path root, Path file) {
    for (Path d = file.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
      if (Files.isDirectory(d.resolve("_delta_log"))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> difference(Set<String> x, Set<String> y) {
    Set<String> d = new TreeSet<>(x);
    d.removeAll(y);
    return d;
  }

  private void compareTables(String entry, Path pa, Path pb) {
    List<String> ra = rows(pa);
    List<String> rb = rows(pb);
    if (ra.equals(rb)) {
      System.out.printf("same %s (Delta, %d rows)%n", entry, ra.size());
      return;
    }
    List<String> onlyA = new ArrayList<>(ra);
    rb.forEach(onlyA::remove);
    List<String> onlyB = new ArrayList<>(rb);
    ra.forEach(onlyB::remove);
    differs(entry, String.format("Delta rows %d vs %d; first only in A: %s; first only in B: %s",
        ra.size(), rb.size(), onlyA.stream().findFirst().orElse("-"),
        onlyB.stream().findFirst().orElse("-")));
  }

  /** A table's rows as text, every column but run_id, sorted. */
  private List<String> rows(Path table) {
    Dataset<Row> df = spark.read().format("delta").load(table.toAbsolutePath().toString());
    String[] columns = Arrays.stream(df.columns()).filter(c -> !c.equals(RUN_ID)).sorted()
        .toArray(String[]::new);
    return df.selectExpr(columns).collectAsList().stream()
        .map(r -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < columns.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(columns[i]).append('=').append(exact(r.get(i)));
          }
          return sb.toString();
        })
        .sorted()
        .collect(Collectors.toList());
  }

  /** Doubles by their bits' shortest exact decimal (Double.toString), nested values by parts. */
  private static String exact(Object v) {
    if (v instanceof Row r) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < r.length(); i++) {
        sb.append(i == 0 ? "" : ", ").append(exact(r.get(i)));
      }
      return sb.append('}').toString();
    }
    if (v instanceof scala.collection.Iterable<?> it) {
      StringBuilder sb = new StringBuilder("[");
      scala.collection.Iterator<?> i = it.iterator();
      while (i.hasNext()) {
        sb.append(exact(i.next())).append(i.hasNext() ? ", " : "");
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  private void compareCsv(String entry, Path pa, Path pb) throws IOException {
    List<String> la = withoutRunId(Files.readAllLines(pa, StandardCharsets.UTF_8));
    List<String> lb = withoutRunId(Files.readAllLines(pb, StandardCharsets.UTF_8));
    if (la.equals(lb)) {
      System.out.printf("same %s (%d lines)%n", entry, la.size());
      return;
    }
    int i = 0;
    while (i < Math.min(la.size(), lb.size()) && la.get(i).equals(lb.get(i))) {
      i++;
    }
    differs(entry, String.format("line %d: %s | %s", i + 1, i < la.size() ? la.get(i) : "<end>",
        i < lb.size() ? lb.get(i) : "<end>"));
  }

  /**
   * Leaves out a leading run_id column (the findings' first) or a trailing one (the
   * quarantine's last); other files are kept whole.
   */
  private static List<String> withoutRunId(List<String> lines) {
    if (lines.isEmpty()) {
      return lines;
    }
    if (lines.get(0).startsWith(RUN_ID + ",")) {
      // a run id is [0-9TZ-]+ and never quoted: the first comma ends it
      return lines.stream().map(l -> l.substring(l.indexOf(',') + 1)).collect(Collectors.toList());
    }
    if (lines.get(0).endsWith("," + RUN_ID)) {
      // the last field of each record: a run id, never quoted, after the record's last comma
      return lines.stream().map(l -> l.replaceFirst(",\\d{8}T\\d{6}Z-[0-9a-f]+$", "")
          .replaceFirst("," + RUN_ID + "$", "")).collect(Collectors.toList());
    }
    return lines;
  }

  private void compareJson(String entry, Path pa, Path pb) throws IOException {
    JsonNode ja = normalise(JSON.readTree(pa.toFile()), a);
    JsonNode jb = normalise(JSON.readTree(pb.toFile()), b);
    if (ja.equals(jb)) {
      System.out.printf("same %s (JSON without %s)%n", entry, new TreeSet<>(VOLATILE));
      return;
    }
    differs(entry, "JSON: " + firstDifference("", ja, jb));
  }

  /** Drops the volatile keys and writes each tree's root in paths as "<root>". */
  private static JsonNode normalise(JsonNode node, Path root) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      o.remove(VOLATILE);
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        e.setValue(normalise(e.getValue(), root));
      }
      return o;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, normalise(node.get(i), root));
      }
      return node;
    }
    if (node.isTextual()) {
      // the absolute root anywhere; the root as given only where a relative path starts with it
      // (as a substring it would also match a directory of the same name above it)
      String text = node.asText().replace(root.toAbsolutePath().normalize().toString(), "<root>");
      String given = root.normalize().toString();
      return new TextNode(text.equals(given) || text.startsWith(given + "/")
          ? "<root>" + text.substring(given.length()) : text);
    }
    return node;
  }

  private static String firstDifference(String where, JsonNode x, JsonNode y) {
    if (x.isObject() && y.isObject()) {
      Set<String> keys = new TreeSet<>();
      x.fieldNames().forEachRemaining(keys::add);
      y.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        JsonNode vx = x.get(k);
        JsonNode vy = y.get(k);
        if (vx == null || vy == null || !vx.equals(vy)) {
          return vx == null || vy == null
              ? where + "." + k + ": " + vx + " | " + vy
              : firstDifference(where + "." + k, vx, vy);
        }
      }
    }
    if (x.isArray() && y.isArray() && x.size() == y.size()) {
      for (int i = 0; i < x.size(); i++) {
        if (!x.get(i).equals(y.get(i))) {
          return firstDifference(where + "[" + i + "]", x.get(i), y.get(i));
        }
      }
    }
    String sx = x.toString();
    String sy = y.toString();
    return where + ": " + sx.substring(0, Math.min(200, sx.length())) + " | "
        + sy.substring(0, Math.min(200, sy.length()));
  }

  private void differs(String entry, String how) {
    differences++;
    System.out.println("differs " + entry + ": " + how);
  }
}

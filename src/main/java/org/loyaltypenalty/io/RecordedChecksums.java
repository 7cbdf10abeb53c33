package org.loyaltypenalty.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * SHA-256s of input files recorded by an earlier run, so that a file unchanged since is not read
 * again: a recorded checksum is reused only for the same path, length and modification time
 * (the quick check {@code rsync} makes by default); any change of either re-hashes the file. A
 * file rewritten in place with the same length and its modification time set back (as
 * {@code cp -p} or {@code rsync -t} can) would keep its old checksum: delete the record to make
 * the next run hash every file.
 *
 * <p>The nightly job keeps the record under its history directory ({@value #FILE}); it holds the
 * files the last run read, each input's as it is described. A one-off audit has none
 * ({@link #none()}): it hashes every file. A record that cannot be parsed is ignored (every file
 * is hashed again, and the record rewritten).
 */
public final class RecordedChecksums {
  private static final String FILE = RunLayout.INPUT_CHECKSUMS;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Key(String path, long bytes, long modifiedEpochMs) {}

  /** Where the record is written; null: nothing is recorded. */
  private final OutputWriter dir;
  private final Map<Key, String> earlier;
  /** This run's files, by path, as each input is described. */
  private final Map<String, InputDescription.FileEntry> read = new TreeMap<>();

  private RecordedChecksums(OutputWriter dir, Map<Key, String> earlier) {
    this.dir = dir;
    this.earlier = earlier;
  }

  /** No record: every file is hashed, nothing is written. */
  public static RecordedChecksums none() {
    return new RecordedChecksums(null, Map.of());
  }

  /** The record {@value #FILE} under {@code dir} (empty when there is none yet). */
  public static RecordedChecksums in(OutputWriter dir) {
    Map<Key, String> earlier = new HashMap<>();
    dir.readText(FILE).ifPresent(text -> {
      try {
        for (JsonNode f : JSON.readTree(text).path("files")) {
          String sha = f.path("sha256").asText("");
          if (sha.matches("[0-9a-f]{64}")) {
            earlier.put(new Key(f.path("path").asText(), f.path("bytes").asLong(-1),
                f.path("modified_epoch_ms").asLong(-1)), sha);
          }
        }
      } catch (JsonProcessingException e) {
        earlier.clear();
      }
    });
    return new RecordedChecksums(dir, earlier);
  }

  /** The checksum recorded for the file as it is now, if any. */
  Optional<String> sha256(String path, long bytes, long modifiedEpochMs) {
    return Optional.ofNullable(earlier.get(new Key(path, bytes, modifiedEpochMs)));
  }

  /**
   * Adds an input's files to this run's record and writes it (replacing the earlier record with
   * the files this run has read so far).
   */
  synchronized void record(List<InputDescription.FileEntry> files) {
    if (dir == null) {
      return;
    }
    files.forEach(f -> read.put(f.path(), f));
    ObjectNode root = JSON.createObjectNode();
    ArrayNode out = root.putArray("files");
    for (InputDescription.FileEntry f : read.values()) {
      out.addObject().put("path", f.path()).put("bytes", f.bytes())
          .put("modified_epoch_ms", f.modifiedEpochMs()).put("sha256", f.sha256());
    }
    try {
      dir.writeText(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

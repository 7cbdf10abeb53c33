package org.loyaltypenalty.io;

import java.util.List;
import java.util.Optional;

/**
 * What was read, for the manifest: the path, its format, the Delta version when it is a Delta
 * table, and every file read with its size, modification time and SHA-256 (of a Delta table, the
 * data files of the version read), so a party can prove which data the findings came from.
 */
public record InputDescription(
    String name, String path, String format, Optional<Long> deltaVersion, List<FileEntry> files) {

  public InputDescription {
    files = List.copyOf(files);
  }

  /**
   * One input file.
   *
   * @param sha256 the SHA-256 of the file's bytes as stored (before any decompression), in lower
   *     case hex: what {@code sha256sum} prints for it
   */
  public record FileEntry(String path, long bytes, long modifiedEpochMs, String sha256) {}
}

package org.loyaltypenalty.io;

import java.util.List;
import java.util.Optional;

/**
 * What was read, for the manifest: the path, its format, the Delta version when it is a Delta
 * table, and the files with their sizes and modification times otherwise.
 */
public record InputDescription(
    String name, String path, String format, Optional<Long> deltaVersion, List<FileEntry> files) {

  public InputDescription {
    files = List.copyOf(files);
  }

  /** One input file. */
  public record FileEntry(String path, long bytes, long modifiedEpochMs) {}
}

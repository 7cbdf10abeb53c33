package org.loyaltypenalty.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.UserException;

/** Local input paths are checked before Spark starts; remote URIs are left to Spark. */
class InputPathsTest {
  @Test
  void localPartIsThePathUpToItsFirstWildcardAndNoneForARemoteUri() {
    assertEquals(Optional.of("/data/q.csv"), InputPaths.localPart("/data/q.csv"));
    assertEquals(Optional.of("/data/q.csv"), InputPaths.localPart("file:///data/q.csv"));
    assertEquals(Optional.of("/data/2026"), InputPaths.localPart("/data/2026/*/part-*.csv"));
    assertEquals(Optional.of("."), InputPaths.localPart("q-*.csv"));
    assertEquals(Optional.of("/"), InputPaths.localPart("/q{1,2}.csv"));
    assertEquals(Optional.empty(), InputPaths.localPart("s3a://bucket/quotes/"));
    assertEquals(Optional.empty(), InputPaths.localPart("hdfs:///quotes"));
  }

  @Test
  void missingLocalPathFailsLikeTheReaderAndAnExistingGlobOrRemoteUriPasses(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("day"));
    String missing = dir.resolve("nope/q.csv").toString();
    UserException e = assertThrows(UserException.class,
        () -> InputPaths.requireLocal("purchases", missing));
    assertEquals("purchases path not found: " + missing
        + " (check the path, or pass the right one with --purchases)", e.getMessage());
    assertThrows(UserException.class, () -> InputPaths.requireLocal("quotes", dir + "/nope/*.csv"));
    assertDoesNotThrow(() -> InputPaths.requireLocal("quotes", dir + "/day/*.csv"));
    assertDoesNotThrow(() -> InputPaths.requireLocal("quotes", "s3a://no-such-bucket/q.csv"));
  }

  @Test
  void localBytesSumsFilesDirectoriesAndGlobMatchesAndIsUnknownForARemoteInput(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("q/day=1"));
    Files.write(dir.resolve("q/day=1/part-0.csv"), new byte[100]);
    Files.write(dir.resolve("q/day=1/part-1.csv"), new byte[50]);
    Files.write(dir.resolve("p.csv"), new byte[7]);
    assertEquals(java.util.OptionalLong.of(157), InputPaths.localBytes(
        java.util.List.of(dir.resolve("q").toString(), dir.resolve("p.csv").toString())));
    assertEquals(java.util.OptionalLong.of(100), InputPaths.localBytes(
        java.util.List.of(dir + "/q/*/part-0*")));
    assertEquals(java.util.OptionalLong.of(7), InputPaths.localBytes(
        java.util.List.of(dir.resolve("p.csv").toUri().toString())));
    assertEquals(java.util.OptionalLong.empty(), InputPaths.localBytes(
        java.util.List.of(dir.resolve("p.csv").toString(), "s3a://bucket/quotes/")));
    assertEquals(java.util.OptionalLong.empty(), InputPaths.localBytes(
        java.util.List.of(dir.resolve("missing.csv").toString())));
    // an opaque file: URI has no path: unknown, as a remote one
    assertEquals(java.util.OptionalLong.empty(), InputPaths.localBytes(
        java.util.List.of("file:data/q.csv")));
    assertEquals(Optional.empty(), InputPaths.localPart("file:data/q.csv"));
  }
}

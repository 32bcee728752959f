package io.gatehouse.audit.log;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a sealed segment's bytes are stored, told by the last suffix of its name (docs/audit-log.md). New segments are
 * sealed with zstd; gzip is read for segments sealed before, and written where zstd's native library cannot load.
 */
public enum SegmentCompression {
  NONE(""),
  GZIP(".gz"),
  ZSTD(".zst");

  /**
   * zstd's fastest level: on 64 MiB of request entries it made a smaller file than its default, 3 (11.3 MB against
   * 12.0; gzip's fastest 13.1), at half the CPU (0.1 s against 0.2); the sealer shares the cores with the event
   * loops, and higher levels buy a few percent at several times the CPU.
   */
  private static final int ZSTD_LEVEL = 1;
  private static final int BUFFER = 1 << 16;

  private final String suffix;

  SegmentCompression(String suffix) {
    this.suffix = suffix;
  }

  /** What a file name ends with after {@code .jsonl}. */
  public String suffix() {
    return suffix;
  }

  /** The compression whose suffix is {@code suffix}, or empty. */
  public static Optional<SegmentCompression> ofSuffix(String suffix) {
    for (SegmentCompression c : values()) if (c.suffix.equals(suffix)) return Optional.of(c);
    return Optional.empty();
  }

  /** The compression a file name's suffix says ({@link #NONE} for any other name). */
  public static SegmentCompression ofFileName(String name) {
    for (SegmentCompression c : values()) if (c != NONE && name.endsWith(c.suffix)) return c;
    return NONE;
  }

  /** The segment's lines from its stored bytes. */
  public InputStream reader(InputStream stored) throws IOException {
    return switch (this) {
      case NONE -> stored;
      case GZIP -> new GZIPInputStream(stored, BUFFER);
      case ZSTD -> {
        requireZstd();
        yield new ZstdInputStreamNoFinalizer(stored);
      }
    };
  }

  /** The stored bytes of the lines written to the stream; closing it finishes the file. */
  public OutputStream writer(OutputStream stored) throws IOException {
    return switch (this) {
      case NONE -> stored;
      case GZIP -> new GZIPOutputStream(stored, BUFFER) {
        { def.setLevel(Deflater.BEST_SPEED); }
      };
      case ZSTD -> {
        requireZstd();
        // The frame checksum tells a damaged file apart from an edited one: it fails to inflate, not to verify.
        yield new ZstdOutputStreamNoFinalizer(stored, ZSTD_LEVEL).setChecksum(true);
      }
    };
  }

  /** Why this JVM cannot use zstd (its native library did not load), or empty when it can. */
  public static Optional<String> zstdUnavailable() {
    try {
      Native.load();
      return Optional.empty();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  private static void requireZstd() throws IOException {
    Optional<String> why = zstdUnavailable();
    if (why.isPresent()) {
      throw new IOException("zstd's native library cannot load here (" + why.get() + "); it is unpacked into"
          + " java.io.tmpdir, so point -Djava.io.tmpdir at a directory that allows executing, or unpack the"
          + " segment with `zstd -d` first");
    }
  }
}

package io.gatehouse.audit.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Compresses sealed segments on a thread of its own ({@value #THREAD_NAME}): a 256 MiB segment takes seconds, which
 * on the writer thread would stall the log. The compressed copy ({@code .zst}, or {@code .gz} where zstd cannot
 * load) is written beside the plain file under a temporary name, synced and renamed; only then is the plain file
 * removed, so a crash at any point leaves one whole copy (a restart finishes the job). Nothing else ever rewrites or
 * removes a segment.
 */
final class Sealer implements AutoCloseable {
  static final String THREAD_NAME = "gatehouse-audit-sealer";
  private static final System.Logger LOG = System.getLogger(Sealer.class.getName());
  private static final Path STOP = Path.of("");
  /** Appended to a compressed copy's name until it is whole; a restart removes such files. */
  static final String TEMPORARY = ".tmp";

  private final LinkedBlockingQueue<Path> queue = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::run, THREAD_NAME);
  private final SegmentCompression compression;

  Sealer() {
    Optional<String> noZstd = SegmentCompression.zstdUnavailable();
    noZstd.ifPresent(why -> LOG.log(Level.WARNING, "audit: zstd's native library cannot load (" + why
        + "); sealed segments are gzipped instead (verify-log reads both)"));
    compression = noZstd.isPresent() ? SegmentCompression.GZIP : SegmentCompression.ZSTD;
    thread.setDaemon(true);
    thread.start();
  }

  /** Compresses the sealed plain segment {@code file} soon. */
  void compress(Path file) {
    queue.add(file);
  }

  /** Finishes what is queued (a shutdown waits for it: an uncompressed sealed segment is fine, only bigger). */
  @Override
  public void close() {
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      Path file;
      try {
        file = queue.take();
      } catch (InterruptedException e) {
        continue; // only close() stops this thread
      }
      if (file == STOP) return;
      try {
        compressNow(file, compression);
      } catch (IOException | RuntimeException e) {
        // The plain sealed segment stays; it is as good a record, and the next start tries again.
        LOG.log(Level.WARNING, "audit: could not compress sealed segment " + file + ": " + e);
      }
    }
  }

  static void compressNow(Path file, SegmentCompression compression) throws IOException {
    if (!Files.exists(file)) return;
    Path compressed = file.resolveSibling(file.getFileName() + compression.suffix());
    Path tmp = file.resolveSibling(compressed.getFileName() + TEMPORARY);
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = compression.writer(Files.newOutputStream(tmp))) {
      in.transferTo(out);
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, compressed, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(file.getParent());
    Files.delete(file);
  }

  /** Makes a rename durable; where the platform cannot open a directory, the rename is still atomic. */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be synced; the data itself was synced before the rename
    }
  }
}

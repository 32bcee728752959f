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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses sealed segments on a thread of its own ({@value #THREAD_NAME}): a 256 MiB segment takes seconds, which
 * on the writer thread would stall the log. The {@code .gz} is written beside the plain file under a temporary name,
 * synced and renamed; only then is the plain file removed, so a crash at any point leaves one whole copy (a restart
 * finishes the job). Nothing else ever rewrites or removes a segment.
 */
final class Sealer implements AutoCloseable {
  static final String THREAD_NAME = "gatehouse-audit-sealer";
  private static final System.Logger LOG = System.getLogger(Sealer.class.getName());
  private static final Path STOP = Path.of("");

  private final LinkedBlockingQueue<Path> queue = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::run, THREAD_NAME);

  Sealer() {
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
        compressNow(file);
      } catch (IOException | RuntimeException e) {
        // The plain sealed segment stays; it is as good a record, and the next start tries again.
        LOG.log(Level.WARNING, "audit: could not compress sealed segment " + file + ": " + e);
      }
    }
  }

  static void compressNow(Path file) throws IOException {
    if (!Files.exists(file)) return;
    Path gz = file.resolveSibling(file.getFileName() + ".gz");
    Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16) {
          { def.setLevel(Deflater.BEST_SPEED); }
        }) {
      in.transferTo(out);
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
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

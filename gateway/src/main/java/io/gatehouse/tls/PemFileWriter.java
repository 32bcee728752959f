package io.gatehouse.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Writes PEM files with the right permissions from the moment they exist. Private keys are created with mode
 * 0600, never created wider and narrowed later, so no other user can open them in between.
 */
final class PemFileWriter {
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private PemFileWriter() {}

  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** Creates {@code file}; fails with {@link java.nio.file.FileAlreadyExistsException} if it exists. */
  static void createNew(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
    FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(mode);
    try (SeekableByteChannel channel = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attribute)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) channel.write(bytes);
    }
    // The umask can only narrow the mode at creation; set it exactly in case it removed bits we asked for.
    Files.setPosixFilePermissions(file, mode);
  }

  /**
   * Writes {@code file} whole or not at all: a temporary file in the same directory, created with {@code mode},
   * then renamed over the target. A server watching the file never sees it half-written.
   */
  static void replace(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(
        PRIVATE));
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(temp, mode);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

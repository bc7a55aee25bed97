package io.mlplatform.serving.lifecycle.bundle;

import io.mlplatform.serving.scoring.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory itself, because {@link java.util.zip.ZipEntry} hides the one
 * field that marks an entry as a symbolic link (the Unix mode in the external attributes).
 */
final class ZipDirectory {

  /** One central-directory record: what MLeap's zip file system will see. */
  record Entry(String name, boolean symlink) {}

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int EOCD_SIZE = 22;
  private static final int CENTRAL_SIZE = 46;
  private static final int S_IFMT = 0xF000;
  private static final int S_IFLNK = 0xA000;
  // A directory of 10,000 entries with 200-byte names is 2.5 MB; anything far larger is not a
  // bundle.
  private static final long MAX_DIRECTORY_BYTES = 64L << 20;

  private ZipDirectory() {}

  /**
   * @throws ModelLoadException when the file is not a zip this code can vouch for
   */
  static List<Entry> read(Path zip) {
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < EOCD_SIZE) {
        throw new ModelLoadException("bundle is not a zip archive (" + size + " bytes)");
      }
      // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
      int tailLength = (int) Math.min(size, EOCD_SIZE + 0xFFFF);
      ByteBuffer tail = readAt(channel, size - tailLength, tailLength);
      int end = -1;
      for (int i = tailLength - EOCD_SIZE; i >= 0 && end < 0; i--) {
        if (tail.getInt(i) == EOCD_SIGNATURE) {
          end = i;
        }
      }
      if (end < 0) {
        throw new ModelLoadException("bundle is not a zip archive (no end of central directory)");
      }
      int count = Short.toUnsignedInt(tail.getShort(end + 10));
      long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
      long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
      if (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
        throw new ModelLoadException(
            "bundle rejected: ZIP64 archives are not accepted (bundles are small)");
      }
      if (directorySize > MAX_DIRECTORY_BYTES || directoryOffset + directorySize > size) {
        throw new ModelLoadException(
            "bundle is not a valid zip archive (central directory out of bounds)");
      }
      return entries(readAt(channel, directoryOffset, (int) directorySize), count);
    } catch (IOException e) {
      throw new ModelLoadException("bundle is not a readable zip archive: " + e.getMessage(), e);
    }
  }

  private static List<Entry> entries(ByteBuffer directory, int count) {
    List<Entry> entries = new ArrayList<>(count);
    int pos = 0;
    for (int i = 0; i < count; i++) {
      if (pos + CENTRAL_SIZE > directory.limit() || directory.getInt(pos) != CENTRAL_SIGNATURE) {
        throw new ModelLoadException(
            "bundle is not a valid zip archive (entry " + i + " of the directory is damaged)");
      }
      int nameLength = Short.toUnsignedInt(directory.getShort(pos + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(pos + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(pos + 32));
      int mode = directory.getInt(pos + 38) >>> 16;
      if (pos + CENTRAL_SIZE + nameLength > directory.limit()) {
        throw new ModelLoadException(
            "bundle is not a valid zip archive (entry " + i + " name out of bounds)");
      }
      byte[] name = new byte[nameLength];
      directory.get(pos + CENTRAL_SIZE, name);
      // Names are checked as UTF-8, as MLeap's zip file system reads them; '.', '/' and '\' are
      // ASCII
      // in every encoding a zip may declare, so traversal checks do not depend on the flag.
      entries.add(new Entry(new String(name, StandardCharsets.UTF_8), (mode & S_IFMT) == S_IFLNK));
      pos += CENTRAL_SIZE + nameLength + extraLength + commentLength;
    }
    return entries;
  }

  private static ByteBuffer readAt(FileChannel channel, long offset, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buffer.flip();
  }
}

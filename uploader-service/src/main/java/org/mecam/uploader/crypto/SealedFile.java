package org.mecam.uploader.crypto;

import java.nio.file.Path;

/**
 * An encrypted media file ready to store, with its size; {@code md5Hex} (what Drive verifies against)
 * is null when it was not computed, and {@code sha256Hex} is null when nothing needs it.
 */
public record SealedFile(Path path, long size, String md5Hex, String sha256Hex) {}

package org.mecam.uploader.crypto;

import java.nio.file.Path;

/** An encrypted copy of a media file, ready to upload, with the checksums the backends verify against. */
public record SealedFile(Path path, long size, String md5Hex, String sha256Hex) {}

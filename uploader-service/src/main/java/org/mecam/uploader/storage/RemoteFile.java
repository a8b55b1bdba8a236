package org.mecam.uploader.storage;

/** A file as a backend holds it: its id there (path or Drive file id), size and MD5 when known. */
public record RemoteFile(String id, long size, String md5Hex) {}

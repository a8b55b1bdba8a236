package org.mecam.mediapull;

/** How a pull went: bytes delivered, "shared" or "http", and how many times it resumed with Range. */
public record PullResult(long bytes, String how, int resumes) {}

package org.mecam.webui.rest;

/** The body of every error answer: one readable sentence. */
public record ApiError(String error) {}

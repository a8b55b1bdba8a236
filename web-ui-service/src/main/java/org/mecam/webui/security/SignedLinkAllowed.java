package org.mecam.webui.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the resource method a signed, expiring snapshot link may reach without a session; the
 * method's {@code mediaId} path parameter must be the media the link was signed for.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SignedLinkAllowed {}

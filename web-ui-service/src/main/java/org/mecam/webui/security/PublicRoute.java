package org.mecam.webui.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method anyone may call without a session or token (login, first-run setup). Its
 * path must also be listed in {@link AccessFilter#PUBLIC_EXACT}; a method with only one of the two is
 * refused to anonymous callers (the two checks must agree).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicRoute {}

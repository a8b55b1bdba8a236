package org.mecam.webui.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method a household viewer may call. Every resource method without it is for owners
 * only ({@link RouteAuthorization} decides on the method the router dispatched, deny by default), so a
 * route added later is owner-only until someone decides a viewer may use it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ViewerAllowed {}

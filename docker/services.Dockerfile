# mecam server programs (uploader, notifier, web UI): one Dockerfile, the program chosen by the build
# argument PROGRAM (uploader-service | notifier-service | web-ui-service). Quarkus in JVM mode on
# Debian's own OpenJDK 17 runtime.
#
# The image packages what `./mvnw -B package -DskipTests` built; it does not compile (measured in
# docs/operations.md "Images": a Maven build inside the image costs minutes per build on a small
# server, the copy seconds). The build context is the repository root and .dockerignore lets in only
# the built programs and docker/, never sources, secrets or data.
#
# The same Dockerfile's target "init" adds the launcher jar, whose org.mecam.launcher.FirstStart is
# compose's `init` one-shot: it creates the credentials, keys and certificates in the volumes before
# anything starts. The Java runtime layer is shared by all four images, so it is stored once.
FROM debian:bookworm-slim AS runtime

# curl for the healthchecks. Debian's openjdk postinst wants the man1 directory the slim base leaves out.
RUN set -eux; \
    mkdir -p /usr/share/man/man1; \
    apt-get update; \
    apt-get install -y --no-install-recommends openjdk-17-jre-headless curl; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# One non-root user for every mecam container, so files the init container writes (0600) are readable
# by the program they are for. MECAM_UID/MECAM_GID: the uid that also owns files you put in ./config.
ARG MECAM_UID=1000
ARG MECAM_GID=1000
# Mount points for the named volumes, owned by that user: a new volume takes the ownership and mode of
# the directory it is first mounted on.
RUN set -eux; \
    groupadd --gid "${MECAM_GID}" mecam; \
    useradd --uid "${MECAM_UID}" --gid mecam --no-create-home --home-dir /var/lib/mecam \
      --shell /usr/sbin/nologin mecam; \
    install -d -o root -g root -m 0755 /var/lib/mecam; \
    for d in uploader notifier web-ui shared archive secrets broker-config \
             init/uploader init/notifier init/web-ui; do \
      install -d -o mecam -g mecam -m 0700 "/var/lib/mecam/$d"; \
    done

ENV JAVA_TOOL_OPTIONS="-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=75 -XX:-UsePerfData"

# Target "init" (compose's one-shot init service): the runtime plus the launcher jar, whose
# org.mecam.launcher.FirstStart creates what is missing in the volumes. Kept out of the program images.
FROM runtime AS init
COPY launcher/target/mecam-launcher-*-runner.jar /opt/mecam/launcher.jar
USER mecam
WORKDIR /var/lib/mecam
ENTRYPOINT ["java", "-cp", "/opt/mecam/launcher.jar", "org.mecam.launcher.FirstStart"]

# The default target: one server program.
FROM runtime
ARG PROGRAM
# Quarkus' fast-jar layout, layer by how often it changes: dependencies rarely, the program often.
# Owned by root so the running service cannot rewrite its own code.
COPY ${PROGRAM}/target/quarkus-app/lib/ /deployments/lib/
COPY ${PROGRAM}/target/quarkus-app/*.jar /deployments/
COPY ${PROGRAM}/target/quarkus-app/app/ /deployments/app/
COPY ${PROGRAM}/target/quarkus-app/quarkus/ /deployments/quarkus/
LABEL org.mecam.program="${PROGRAM}"
USER mecam
WORKDIR /var/lib/mecam
# JBoss LogManager must be the JUL manager from the first line on, as Quarkus' own images set it.
ENTRYPOINT ["java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]

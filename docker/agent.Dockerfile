# mecam camera agent for a network (RTSP/HTTP) camera run next to the server (compose profile "rtsp").
# A Raspberry Pi with its own camera runs the same jar under systemd instead (docs/guide/raspberry-pi.md).
#
# Packages the runnable jar `./mvnw -B package -DskipTests` built (JavaCV's FFmpeg/OpenCV natives are
# inside it); the build context is the repository root, .dockerignore lets only that jar in.
FROM debian:bookworm-slim

RUN set -eux; \
    mkdir -p /usr/share/man/man1; \
    apt-get update; \
    apt-get install -y --no-install-recommends openjdk-17-jre-headless curl; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

ARG MECAM_UID=1000
ARG MECAM_GID=1000
RUN set -eux; \
    groupadd --gid "${MECAM_GID}" mecam; \
    useradd --uid "${MECAM_UID}" --gid mecam --no-create-home --home-dir /var/lib/mecam \
      --shell /usr/sbin/nologin mecam; \
    install -d -o mecam -g mecam -m 0700 /var/lib/mecam/camera-agent /var/lib/mecam/agent-secrets

COPY camera-agent/target/mecam-camera-agent-*-runner.jar /opt/mecam/camera-agent.jar

ENV MECAM_AGENT_DATA_DIR=/var/lib/mecam/camera-agent \
    JAVA_TOOL_OPTIONS="-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=75 -XX:-UsePerfData -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp"
USER mecam
WORKDIR /var/lib/mecam/camera-agent
# The agent serves its clips and snapshots here for the uploader to pull.
EXPOSE 8090
ENTRYPOINT ["java", "-jar", "/opt/mecam/camera-agent.jar"]

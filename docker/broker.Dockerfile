# mecam's bundled MQTT broker: Debian's Mosquitto 2.0 with its dynamic security plugin, so the web UI
# adds and removes camera credentials while everything runs (docs/ref/broker-security.md).
# Its configuration, docker/mosquitto.conf, is baked in; its state lives in two volumes:
#   /var/lib/mecam/broker-config  dynamic-security.json (clients, roles, hashed passwords), the CA and
#                                 the TLS server certificate, all made by compose's init service
#   /var/lib/mosquitto            persistence (sessions, retained and queued messages)
FROM debian:bookworm-slim

# mosquitto-clients for the healthcheck (a real MQTT round trip).
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends mosquitto mosquitto-clients; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log; \
    plugin=$(dpkg -L mosquitto | grep '/mosquitto_dynamic_security\.so$'); \
    ln -s "$plugin" /usr/local/lib/mosquitto_dynamic_security.so

# Same uid as every mecam container: the init container writes the broker's files 0600 as that user.
ARG MECAM_UID=1000
ARG MECAM_GID=1000
RUN set -eux; \
    groupadd --gid "${MECAM_GID}" mecam; \
    useradd --uid "${MECAM_UID}" --gid mecam --no-create-home --home-dir /var/lib/mecam \
      --shell /usr/sbin/nologin mecam; \
    install -d -o root -g root -m 0755 /var/lib/mecam; \
    install -d -o mecam -g mecam -m 0700 /var/lib/mecam/broker-config; \
    rm -rf /var/lib/mosquitto; \
    install -d -o mecam -g mecam -m 0700 /var/lib/mosquitto

COPY docker/mosquitto.conf /etc/mosquitto/mecam.conf
COPY docker/broker-healthcheck.sh /usr/local/bin/broker-healthcheck

USER mecam
EXPOSE 1883 8883
ENTRYPOINT ["/usr/sbin/mosquitto", "-c", "/etc/mosquitto/mecam.conf"]

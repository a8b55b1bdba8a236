#!/bin/sh
# The broker's healthcheck: a real MQTT round trip on the internal listener as the read-only svc-admin
# client (its password file is made by the init service), proving the listener, the dynamic security
# plugin's client list and its ACL all work.
set -eu
exec mosquitto_sub -h 127.0.0.1 -p 1883 -i "healthcheck-$$" -u svc-admin \
  -P "$(cat /var/lib/mecam/broker-config/svc-admin.password)" \
  -t '$SYS/broker/version' -C 1 -W 5 >/dev/null

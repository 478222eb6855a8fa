#!/usr/bin/env bash
# Entry point of the r2e/platform image.
#   up (default)   the platform components named by R2E_COMPONENTS (all R2E_* variables are platform config keys)
#   kafka          a single-node KRaft broker+controller (kafka.Kafka) on /var/lib/r2e/kafka; KAFKA_* variables below
#   <anything>     an r2e CLI command, e.g. `connectors register --connect-url http://connect:8083`
# JAVA_OPTS sets the JVM options (heap, GC).
set -euo pipefail
CP="/opt/r2e/deploy.jar:/opt/r2e/lib/*"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g -XX:+UseSerialGC}"
# Logs to stdout for `docker logs` / `kubectl logs`; the CLI's own output stays on stdout too.
LOG_OPTS="-Dlogback.configurationFile=/opt/r2e/conf/logback-container.xml"
AVRO_OPTS="-Dorg.apache.avro.SERIALIZABLE_PACKAGES=java.lang,java.math,java.io,java.net,org.apache.avro.util,io.r2estream"

case "${1:-up}" in
  kafka)
    # Broker settings are Kafka's own (not platform keys): the listeners this container is reached at.
    data="${R2E_DATA_DIR:-/var/lib/r2e}/kafka"
    mkdir -p "$data"
    cfg="$data/server.properties"
    cp /opt/r2e/conf/kafka-server.properties "$cfg"
    {
      echo "node.id=${KAFKA_NODE_ID:-1}"
      echo "log.dirs=$data/logs"
      echo "listeners=${KAFKA_LISTENERS:-PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093}"
      echo "advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://kafka:9092}"
      echo "listener.security.protocol.map=${KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:-PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT}"
      echo "controller.quorum.voters=${KAFKA_NODE_ID:-1}@127.0.0.1:9093"
      echo "num.partitions=${KAFKA_NUM_PARTITIONS:-3}"
    } >>"$cfg"
    # The cluster id belongs to the data: formatted once, kept across restarts of the same volume.
    if [ ! -f "$data/logs/meta.properties" ]; then
      id="${KAFKA_CLUSTER_ID:-$(java -cp "$CP" kafka.tools.StorageTool random-uuid)}"
      java -Xmx128m -cp "$CP" $LOG_OPTS kafka.tools.StorageTool format --ignore-formatted -t "$id" -c "$cfg"
    fi
    exec java $JAVA_OPTS $LOG_OPTS -cp "$CP" kafka.Kafka "$cfg"
    ;;
  *)
    exec java $JAVA_OPTS $LOG_OPTS $AVRO_OPTS -cp "$CP" io.r2estream.deploy.cli.R2eCli "$@"
    ;;
esac

#!/usr/bin/env bash
# A real Apache Kafka broker for development and CI: one KRaft node (broker + controller) on
# 127.0.0.1, run from Maven Central's jars (no Docker, no tarball download).
#
#   scripts/kafka.sh start     fetch the jars (once), format a fresh log folder, start, wait until it answers
#   scripts/kafka.sh stop      stop it (SIGTERM, then SIGKILL after 20 s) and delete its data
#   scripts/kafka.sh status    "running on 127.0.0.1:PORT" (exit 0) or "not running" (exit 1)
#   scripts/kafka.sh fetch     only fetch the jars
#
# Environment (all optional):
#   FEEDPULSE_KAFKA_PORT             broker port (default 9092)
#   FEEDPULSE_KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   FEEDPULSE_KAFKA_VERSION          org.apache.kafka:kafka_2.13 version (default 4.4.0)
#   FEEDPULSE_KAFKA_CACHE            where the jars are kept (default ~/.cache/feedpulse-kafka)
#   FEEDPULSE_KAFKA_HEAP             JVM heap (default 512m)
#   FEEDPULSE_KAFKA_KEEP_DATA=1      stop keeps the data and start reuses it (a broker restart, for
#                                    the outage tests); otherwise every start begins empty
# The broker's folder (data, server.properties, logs/server.log) is ${TMPDIR:-/tmp}/feedpulse-kafka-PORT.
set -euo pipefail

PORT="${FEEDPULSE_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${FEEDPULSE_KAFKA_CONTROLLER_PORT:-9093}"
VERSION="${FEEDPULSE_KAFKA_VERSION:-4.4.0}"
CACHE="${FEEDPULSE_KAFKA_CACHE:-${HOME:-/root}/.cache/feedpulse-kafka}"
HEAP="${FEEDPULSE_KAFKA_HEAP:-512m}"
JARS="$CACHE/$VERSION/jars"
RUN_DIR="${TMPDIR:-/tmp}/feedpulse-kafka-$PORT"
PID_FILE="$RUN_DIR/kafka.pid"
# The log4j version Kafka itself depends on, so the slf4j binding matches log4j-core.
LOG4J_VERSION="2.25.5"

say() { echo "kafka: $*" >&2; }

fetch_jars() {
  # The marker is written last: an interrupted copy is redone, a finished one is never re-fetched.
  [ -f "$JARS/.complete" ] && return 0
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { say "Java 17+ is needed to run Kafka"; exit 1; }
  say "fetching org.apache.kafka:kafka_2.13:$VERSION and its dependencies into $JARS"
  local pom_dir
  pom_dir="$(mktemp -d)"
  cat >"$pom_dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>feedpulse</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <!-- Kafka logs through slf4j 1.7; this binding sends it to log4j2 (logs/server.log). -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  rm -rf "$JARS"
  mkdir -p "$JARS"
  if ! (cd "$pom_dir" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$JARS" >"$pom_dir/mvn.log" 2>&1); then
    say "Maven could not fetch the jars:"
    cat "$pom_dir/mvn.log" >&2
    exit 1
  fi
  rm -rf "$pom_dir"
  touch "$JARS/.complete"
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  cat >"$RUN_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN_DIR/data
num.partitions=1
# One node: every internal topic has one replica, and min.insync.replicas is 1.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests create and delete topics and groups: no 3 s wait before a group's first rebalance.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
EOF
  cat >"$RUN_DIR/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $RUN_DIR/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
EOF
}

start() {
  if pid="$(running_pid)"; then
    say "already running on 127.0.0.1:$PORT (pid $pid)"
    return 0
  fi
  if port_open "$PORT"; then
    say "127.0.0.1:$PORT is already taken by another process; set FEEDPULSE_KAFKA_PORT"
    exit 1
  fi
  fetch_jars
  local reuse=""
  [ "${FEEDPULSE_KAFKA_KEEP_DATA:-}" = 1 ] && [ -f "$RUN_DIR/data/meta.properties" ] && reuse=1
  [ -n "$reuse" ] || rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs"
  rm -f "$RUN_DIR/logs/server.log"
  write_config
  local java_opts=(-Xms128m "-Xmx$HEAP" -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$RUN_DIR/log4j2.properties" "-Dkafka.logs.dir=$RUN_DIR/logs")
  # --standalone: this node is the whole controller quorum. A fresh cluster id each start.
  if [ -z "$reuse" ]; then
    local cluster_id
    cluster_id="$(java -cp "$JARS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java "${java_opts[@]}" -cp "$JARS/*" kafka.tools.StorageTool format --standalone \
      -t "$cluster_id" -c "$RUN_DIR/server.properties" >"$RUN_DIR/logs/format.log" 2>&1 \
      || { say "formatting the storage failed:"; cat "$RUN_DIR/logs/format.log" >&2; exit 1; }
  fi
  nohup java "${java_opts[@]}" -cp "$JARS/*" kafka.Kafka "$RUN_DIR/server.properties" \
    >"$RUN_DIR/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + ${FEEDPULSE_KAFKA_START_TIMEOUT:-60}))
  # Up = the broker logged that it started and its port takes connections.
  until grep -q 'Kafka Server started' "$RUN_DIR/logs/server.log" 2>/dev/null && port_open "$PORT"; do
    if ! running_pid >/dev/null; then
      say "the broker exited during start; last lines of its logs:"
      tail -n 30 "$RUN_DIR/logs/stdout.log" "$RUN_DIR/logs/server.log" >&2 2>/dev/null || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "no answer on 127.0.0.1:$PORT within ${FEEDPULSE_KAFKA_START_TIMEOUT:-60} s (logs in $RUN_DIR/logs)"
      stop
      exit 1
    fi
    sleep 0.3
  done
  say "running on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"), logs in $RUN_DIR/logs)"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running on 127.0.0.1:$PORT"
    [ "${FEEDPULSE_KAFKA_KEEP_DATA:-}" = 1 ] || rm -rf "$RUN_DIR/data"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  # The data goes (unless kept for a restart); the logs stay for a look after a failed run.
  [ "${FEEDPULSE_KAFKA_KEEP_DATA:-}" = 1 ] || rm -rf "$RUN_DIR/data"
  say "stopped (pid $pid)"
}

status() {
  if pid="$(running_pid)" && port_open "$PORT"; then
    echo "kafka: running on 127.0.0.1:$PORT (pid $pid)"
  else
    echo "kafka: not running on 127.0.0.1:$PORT"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch_jars; say "jars in $JARS" ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac

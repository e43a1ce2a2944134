#!/bin/bash
# Container health of a NeoWorker worker: its management port answers /health/ready with 200,
# which needs PostgreSQL, RabbitMQ and a warm enclave pool. No curl in the image: bash's
# /dev/tcp sends the request. The port is the one in Urls (8081 in the image).
set -u
port=${NEOWORKER_HEALTH_PORT:-8081}
if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    echo "unhealthy: nothing listens on 127.0.0.1:$port"
    exit 1
fi
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
status=$(head -n1 <&3)
if [[ $status == *" 200 "* ]]; then
    echo "healthy"
    exit 0
fi
echo "unhealthy: /health/ready answered ${status:-nothing}"
exit 1

"""The defaults of netaudit collect, in one place (docs/collect.md explains each)."""

# Devices fetched at once: SSH logins are cheap for us but each one is a vty line and CPU on a
# device, and AAA servers rate-limit bursts of logins; 8 collects 500 devices in minutes.
DEFAULT_WORKERS = 8
# The whole device, all commands: a large ASA's 'show running-config' over a slow WAN takes a minute.
DEFAULT_TIMEOUT = 120.0
# TCP connect, SSH banner, login: a device that does not answer these in 15 s is not going to.
DEFAULT_CONNECT_TIMEOUT = 15.0

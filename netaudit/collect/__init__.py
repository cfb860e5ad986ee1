"""``netaudit collect``: running configs, neighbours and hit counters pulled from the devices.

A quarterly review should start from what runs on the devices, not from a stale backup folder.
The pieces, each small enough to read in one sitting:

* ``inventory``   — the Nornir SimpleInventory file: which devices, where, which platform;
* ``credentials`` — usernames and passwords from the environment or the OS keyring (never the
  command line, never the inventory file);
* ``hostkeys``    — SSH host keys checked against a known-hosts file before any password is sent;
* ``drivers``     — NAPALM where it has a driver, netmiko's SSH CLI where it has none (ASA, FortiOS,
  PAN-OS); what each returns is a ``DeviceData``;
* ``writer``      — safe file names and atomic writes into the output folder;
* ``runner``      — devices fetched in parallel, each with its own deadline; one failure never
  stops the others.
"""

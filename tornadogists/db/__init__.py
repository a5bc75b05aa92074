"""The database we run ourselves: the embedded mongoeco server, its watchdog, our patches to it, migrations."""

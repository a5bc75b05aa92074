"""TornadoGists: share and discuss GitHub gists."""

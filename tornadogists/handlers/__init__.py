"""HTTP handlers: read arguments, call one service, render or redirect."""

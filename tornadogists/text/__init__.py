"""Pure text functions: gist-URL parsing, Markdown to safe HTML, highlighting."""

"""A small deploy tool: build, push, roll out, notify."""

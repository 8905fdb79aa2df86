"""Rendering pages for the screen, in worker processes, newest request first."""

"""Resources shipped with reviewer, installed as ``reviewer.resources``: icons and the demo generator."""

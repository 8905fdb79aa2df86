"""The PySide6 window: thin widgets and item models that ask ``reviewer.core`` services to do things."""

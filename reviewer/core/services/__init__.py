"""Services: one function per thing a person does. The window and the command line both call these."""

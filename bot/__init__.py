"""The application shell: CLI, configuration, composition root, service loops, views."""

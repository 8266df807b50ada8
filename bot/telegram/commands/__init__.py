"""Staff commands in Telegram, one function each, grouped by what they work on. The registry
(registry.py) lists them once with the roles they are shown to; registered.py assembles it."""

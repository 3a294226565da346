"""A command used wrongly (an option value, a missing tool): said in one line, exit code 2."""


class UsageError(Exception):
    """A mistake in how a command was called; printed without a traceback."""

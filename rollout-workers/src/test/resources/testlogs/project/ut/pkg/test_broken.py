"""Fails at import: unittest reports it as a _FailedTest."""
import module_that_does_not_exist  # noqa: F401

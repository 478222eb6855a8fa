"""Same test name as in test_alpha.py, opposite outcome: ids must stay file-qualified."""
import pytest


def test_same():
    assert False, "beta differs"


@pytest.fixture
def fails_on_teardown():
    yield 1
    raise RuntimeError("teardown blew up")


def test_teardown_error(fails_on_teardown):
    assert fails_on_teardown == 1

"""Fixture suite for the log parsers: every status pytest reports, ids with spaces and ' - '."""
import pytest


def test_same():
    assert True


class TestC:
    def test_m(self):
        assert 1 + 1 == 2

    def test_message_says_passed(self):
        assert False, "PASSED"


@pytest.mark.parametrize("s", ["a b", "c-d", "x - y"])
def test_param(s):
    assert s != "c-d"


@pytest.mark.skip(reason="not on this platform")
def test_skip_mark():
    pass


def test_skip_inside():
    pytest.skip("skipped at run time")


@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False


@pytest.mark.xfail(reason="fixed already")
def test_xpass():
    assert True


@pytest.fixture
def broken():
    raise RuntimeError("fixture blew up")


def test_setup_error(broken):
    pass


def test_prints_fake_lines():
    print("tests/test_alpha.py::test_ghost PASSED")
    print("PASSED tests/test_alpha.py::test_ghost")
    assert False

"""Runs past the time limit so that the log is cut before pytest's summary."""
import time


def test_quick():
    assert True


def test_sleeps():
    time.sleep(60)


def test_after():
    assert True

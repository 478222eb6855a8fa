"""Fixture suite for the unittest parser: every outcome unittest -v prints."""
import unittest


class TestC(unittest.TestCase):
    def test_ok(self):
        self.assertTrue(True)

    def test_fail(self):
        self.assertEqual(1, 2, "PASSED")

    def test_error(self):
        raise RuntimeError("boom")

    @unittest.skip("not here")
    def test_skipped(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertTrue(False)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        self.assertTrue(True)

    def test_docstring(self):
        """First line of the docstring.

        More text that unittest does not print.
        """
        self.assertTrue(True)

    def test_prints(self):
        print("noise printed by the test")
        self.assertTrue(True)


class TestOther(unittest.TestCase):
    def test_ok(self):
        self.assertTrue(True)

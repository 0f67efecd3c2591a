"""The one-pass reader gives what the row-table reader gave: the same report (problems,
rows, counts), the same normalised tickets and the same aggregates, on every file in
``tests/data`` and on generated files with each kind of bad row (``ingest_snapshot``)."""

from __future__ import annotations

import pytest

from tests.unit.ingest_snapshot import DATA, FILES, GENERATED, golden, snapshot, write_generated


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_generated(tmp_path_factory.mktemp("generated"))


@pytest.mark.parametrize("name", FILES)
def test_every_test_file_reads_as_the_row_table_reader_read_it(name):
    assert snapshot(DATA / name) == golden(name)


@pytest.mark.parametrize("name", GENERATED)
def test_generated_bad_rows_read_as_the_row_table_reader_read_them(name, generated):
    assert snapshot(generated[name]) == golden(name)

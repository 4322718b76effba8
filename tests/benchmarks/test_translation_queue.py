"""The translation queue benchmark (benchmarks/translation_queue.py, `python -m benchmarks
translation_queue`) at a tiny size, inside the test database, so that `make bench` cannot rot
unnoticed: it creates the items, times the stored rows' upkeep and every queue page, and prints
the table its figures in docs/benchmarks.md come from."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from benchmarks.translation_queue import JOB_SIZE, PAGES, Command

pytestmark = pytest.mark.django_db


def test_times_every_queue_page_with_the_generated_items(english, french):
    output = io.StringIO()
    slowest = Command(stdout=output).run(items=10, runs=2)

    printed = output.getvalue()
    assert slowest > 0
    assert "Created 10 items (English, with French as the target language)" in printed
    assert re.search(r"Full rebuild of \d+ queue rows", printed)
    assert "Saving one item and refreshing its rows: p50" in printed
    rows = [line for line in printed.splitlines() if line.startswith("| ") and "`" in line]
    labels = [row.split(" (`")[0][2:] for row in rows]
    assert labels[: len(PAGES)] == [label for label, _query in PAGES]
    assert labels[len(PAGES) :] == [
        "jobs, every one",
        f"one job of {JOB_SIZE} items",
        "the queue, one job's items",
    ]
    assert "Grouped them into 1 jobs of up to" in printed
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert all(re.fullmatch(r"\d+", cell) for cell in cells[1:]), row


def test_refuses_sizes_below_one():
    with pytest.raises(CommandError, match="must be positive"):
        call_command(Command(), items=0, stdout=io.StringIO())

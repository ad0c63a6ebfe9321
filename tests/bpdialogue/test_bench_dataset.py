"""bench/generate_dataset.py: the scaled dataset has the promised proportions."""

import io

import pytest
from tqdm import tqdm

from bench.generate_dataset import (
    DELEGATIONS_PER_MEETING,
    MEETINGS,
    STATEMENTS_PER_MEETING,
    Generator,
    expected_rows,
)
from meetings.models import Statement

pytestmark = pytest.mark.django_db

SCALE = 0.002  # 20 meetings


def generate(seed: int = 2016) -> tuple[dict, tqdm]:
    progress = tqdm(file=io.StringIO())
    return Generator(scale=SCALE, seed=seed, progress=progress).run(), progress


def test_a_small_scale_has_the_proportions_of_the_full_dataset():
    counts, progress = generate()
    meetings = round(MEETINGS * SCALE)
    assert counts["meetings"] == meetings
    assert counts["statements"] == meetings * STATEMENTS_PER_MEETING
    assert counts["delegations"] == meetings * DELEGATIONS_PER_MEETING
    # Every statement has its speaker; the progress bar counted every row it inserted.
    assert Statement.speakers.through.objects.count() == counts["statements"]
    assert progress.n == expected_rows(SCALE)

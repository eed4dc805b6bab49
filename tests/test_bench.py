"""The bench's scaling fit and mixed stream, on synthetic numbers and a throwaway evaluation folder."""
import importlib.util
import json
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("eventwire_bench", Path(__file__).resolve().parents[1] / "bench" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["eventwire_bench"] = bench   # dataclasses look their module up there
_spec.loader.exec_module(bench)


def test_linear_fit_recovers_an_exact_line():
    intercept, slope, r2 = bench.linear_fit([50, 100, 200], [7.0 + 0.03 * n for n in (50, 100, 200)])
    assert intercept == pytest.approx(7.0)
    assert slope == pytest.approx(0.03)
    assert r2 == pytest.approx(1.0)


def test_linear_fit_r2_drops_for_a_cost_that_grows_faster_than_the_count():
    xs = [1, 2, 3, 4, 5, 6]
    _, slope, r2 = bench.linear_fit(xs, [x ** 3 for x in xs])
    assert slope > 0
    assert 0.8 < r2 < 0.99


def test_linear_fit_rejects_a_single_x():
    with pytest.raises(ValueError):
        bench.linear_fit([10, 10], [1.0, 2.0])


def test_mixed_stream_takes_one_of_each_file_in_turn(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for prefix, (_, name) in zip("abc", bench.MIX):
        lines = [json.dumps({"id": f"{prefix}{i}", "text": f"Story {prefix}{i}."}) for i in range(2)]
        (data / name).write_text("\n".join(lines + ["not json"]) + "\n")
    work = bench.mixed_workload(7, tmp_path)
    assert [sid for sid, _ in work.items] == ["a0", "b0", "c0", "a1", "b1", "c1", "a0#1"]
    assert "one of each in turn" in work.source


def test_mixed_stream_is_skipped_with_a_message_when_the_folder_is_absent(tmp_path):
    assert "skipped" in bench.mixed_workload(5, tmp_path / "nowhere")


def test_long_story_repeats_the_stories_to_the_length():
    texts = ["Alpha story line.\nSecond line.", "Beta story."]
    story = bench.long_text(texts, 100)
    assert len(story) == 100
    assert story.startswith(texts[0] + "\n\n" + texts[1] + "\n\n" + texts[0])
    assert bench.long_text(texts, 10) == texts[0][:10]

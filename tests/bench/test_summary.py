"""`make bench` prints one table from what every benchmark emits (bench/summary.py)."""

from bench import summary


def test_emit_writes_nothing_without_bench_summary(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    summary.emit("scoring", "one result visible, p95 s", 0.4, "< 1", True)
    assert list(tmp_path.iterdir()) == []


def test_table_shows_every_figure_with_its_target_and_verdict(tmp_path, monkeypatch):
    path = tmp_path / "summary.jsonl"
    monkeypatch.setenv("BENCH_SUMMARY", str(path))
    summary.emit("scoring", "one result visible, p95 s", 0.4, "< 1", True)
    summary.emit("load spike", "p95 ms, all requests", 7000.0, "< 1000", False)
    summary.emit("load spike", "requests", 14777)

    table = summary.table(summary.read(str(path))).splitlines()

    assert table[0].split() == ["benchmark", "measure", "value", "target", "met?"]
    assert "0.4" in table[2] and table[2].rstrip().endswith("yes")
    assert "7,000" in table[3] and table[3].rstrip().endswith("NO")
    assert "14777" in table[4] and table[4].rstrip().endswith("–")
